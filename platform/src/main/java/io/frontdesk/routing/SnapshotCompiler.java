package io.frontdesk.routing;

import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.ConfigDocument;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Target;
import io.frontdesk.config.Upstream;
import io.frontdesk.pluginhost.BoundFilter;
import io.frontdesk.pluginhost.FilterChain;
import io.frontdesk.pluginhost.FilterInstances;
import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.frontdesk.upstream.UpstreamState;
import io.frontdesk.upstream.UpstreamStates;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.frontdesk.validation.SchemaCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a {@link ConfigDocument} into a {@link ConfigSnapshot}: validates what the database cannot
 * (host patterns, regexes, balancer options, plugin configs), resolves references and builds the
 * host table, route tables, balancers and filter chains.
 *
 * <p>Plugin availability never makes compiling fail: a binding whose plugin is missing, or whose
 * configuration its (new) schema rejects, becomes an unavailable filter in the chain, and an
 * upstream whose algorithm is missing falls back to the default. So an unrelated change can always
 * be saved and loaded while a plugin is absent.
 */
public final class SnapshotCompiler {

  private final PluginCatalog plugins;
  private final UpstreamStates upstreamStates;
  private final FilterInstances filterInstances;
  private final int loops;
  private final long filterTimeoutMillis;

  public SnapshotCompiler(PluginCatalog plugins, UpstreamStates upstreamStates, FilterInstances filterInstances,
      int loops, long filterTimeoutMillis) {
    this.plugins = plugins;
    this.upstreamStates = upstreamStates;
    this.filterInstances = filterInstances;
    this.loops = loops;
    this.filterTimeoutMillis = filterTimeoutMillis;
  }

  /**
   * Checks a document without touching live state: what a write could break (hosts, references,
   * regexes, targets, balancers). Bindings are left out: each was checked against its plugin once,
   * when it was saved (schema and trial {@code create}, off the event loop), and a binding never
   * makes a compile fail anyway. Blocking (balancer factories run): call it off the event loop.
   *
   * @throws InvalidConfigException listing every problem
   */
  public void validate(ConfigDocument doc) {
    build(doc, true);
  }

  /**
   * @throws InvalidConfigException listing every problem; nothing was acquired then
   */
  public ConfigSnapshot compile(ConfigDocument doc) {
    return build(doc, false);
  }

  private ConfigSnapshot build(ConfigDocument doc, boolean dryRun) {
    List<FieldError> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    // Sites and their hosts.
    HostTable.Builder<CompiledSite> hosts = HostTable.builder();
    Map<String, CompiledSite> sites = new HashMap<>();
    Map<String, String> hostOwner = new HashMap<>();
    for (Site s : doc.sites()) {
      CompiledSite cs = new CompiledSite(s);
      sites.put(s.id(), cs);
      for (String h : s.hosts()) {
        String problem = HostPattern.problem(h);
        if (problem != null) {
          errors.add(new FieldError("sites." + s.name() + ".hosts", "'" + h + "' " + problem));
          continue;
        }
        String owner = hostOwner.putIfAbsent(h, s.name());
        if (owner != null && !owner.equals(s.name())) {
          errors.add(new FieldError("sites." + s.name() + ".hosts",
              "host '" + h + "' already belongs to site '" + owner + "'"));
        }
        if (s.enabled()) {
          hosts.add(h, cs);
        }
      }
    }

    // Upstreams.
    Map<String, CompiledUpstream> upstreams = new HashMap<>();
    for (Upstream u : doc.upstreams()) {
      CompiledUpstream cu = compileUpstream(u, doc, dryRun, errors, warnings);
      if (cu != null) {
        upstreams.put(u.id(), cu);
      }
    }

    // Filter bindings by scope.
    List<PluginBinding> global = new ArrayList<>();
    Map<String, List<PluginBinding>> bySite = new HashMap<>();
    Map<String, List<PluginBinding>> byRoute = new HashMap<>();
    for (PluginBinding b : doc.bindings()) {
      if (!b.enabled() || b.kind() != PluginBinding.Kind.FILTER) {
        continue; // log sinks are not filters
      }
      switch (b.scope()) {
        case GLOBAL -> global.add(b);
        case SITE -> bySite.computeIfAbsent(b.siteId(), k -> new ArrayList<>()).add(b);
        case ROUTE -> byRoute.computeIfAbsent(b.routeId(), k -> new ArrayList<>()).add(b);
      }
    }

    // Routes.
    List<FilterInstances.Key> acquired = new ArrayList<>();
    Map<String, List<CompiledRoute>> routesBySite = new HashMap<>();
    List<CompiledRoute> allRoutes = new ArrayList<>();
    for (Route r : doc.routes()) {
      CompiledSite site = sites.get(r.siteId());
      CompiledUpstream up = upstreams.get(r.upstreamId());
      if (site == null) {
        errors.add(new FieldError("routes." + r.name() + ".site", "site " + r.siteId() + " does not exist"));
        continue;
      }
      if (up == null) {
        if (doc.upstream(r.upstreamId()).isEmpty()) {
          errors.add(new FieldError("routes." + r.name() + ".upstream",
              "upstream " + r.upstreamId() + " does not exist"));
        }
        continue;
      }
      RouteRule rule;
      try {
        rule = RouteRule.compile(r);
      } catch (PatternSyntaxException e) {
        errors.add(new FieldError("routes." + r.name() + ".match.pathRegex",
            "is not a valid regular expression: " + e.getDescription()));
        continue;
      }
      if (!r.enabled()) {
        continue;
      }
      List<PluginBinding> bindings = new ArrayList<>(global);
      bindings.addAll(bySite.getOrDefault(site.site().id(), List.of()));
      bindings.addAll(byRoute.getOrDefault(r.id(), List.of()));
      FilterChain chain = dryRun ? FilterChain.EMPTY : chain(bindings, doc, acquired);
      CompiledRoute cr = new CompiledRoute(rule, site, up, chain);
      routesBySite.computeIfAbsent(site.site().id(), k -> new ArrayList<>()).add(cr);
      allRoutes.add(cr);
    }

    if (!errors.isEmpty()) {
      acquired.forEach(filterInstances::release);
      throw new InvalidConfigException(errors);
    }
    sites.forEach((id, cs) -> cs.routes(new RouteTable<>(routesBySite.getOrDefault(id, List.of()))));
    List<PluginBinding> sinks = doc.bindings().stream()
        .filter(b -> b.enabled() && b.kind() == PluginBinding.Kind.LOG_SINK && !doc.pluginDisabled(b.pluginId()))
        .toList();
    Runnable onDrained = dryRun ? null : () -> acquired.forEach(filterInstances::release);
    return new ConfigSnapshot(doc.version(), plugins.generation(), hosts.build(), upstreams, allRoutes,
        warnings, sinks, onDrained);
  }

  private CompiledUpstream compileUpstream(Upstream u, ConfigDocument doc, boolean dryRun, List<FieldError> errors,
      List<String> warnings) {
    String field = "upstreams." + u.name();
    Map<String, Boolean> seen = new HashMap<>();
    List<CompiledTarget> targets = new ArrayList<>();
    UpstreamState state = dryRun ? new UpstreamStates().get(u.id(), u.name()) : upstreamStates.get(u.id(), u.name());
    for (int i = 0; i < u.targets().size(); i++) {
      Target t = u.targets().get(i);
      if (seen.put(t.address(), Boolean.TRUE) != null) {
        errors.add(new FieldError(field + ".targets[" + i + "]", "target " + t.address() + " is listed twice"));
        continue;
      }
      targets.add(new CompiledTarget(t, u, state.target(t.address())));
    }
    if (targets.isEmpty()) {
      errors.add(new FieldError(field + ".targets", "an upstream needs at least one target"));
      return null;
    }
    LoadBalancerFactory factory = plugins.balancer(u.algorithm());
    String owner = factory == null ? null : plugins.balancerPlugin(u.algorithm());
    if (factory == null || (owner != null && doc.pluginDisabled(owner))) {
      warnings.add("upstream '" + u.name() + "' uses algorithm '" + u.algorithm()
          + "', which no installed and enabled plugin provides; using " + Upstream.DEFAULT_ALGORITHM);
      factory = plugins.balancer(Upstream.DEFAULT_ALGORITHM);
    } else {
      List<FieldError> cfgErrors = SchemaCheck.of(factory.configSchema()).check(u.algorithmConfig(),
          field + ".algorithmConfig");
      if (!cfgErrors.isEmpty()) {
        errors.addAll(cfgErrors);
        return null;
      }
    }
    List<UpstreamTarget> views = List.copyOf(targets);
    LoadBalancer[] balancers = new LoadBalancer[dryRun ? 1 : loops];
    try {
      for (int i = 0; i < balancers.length; i++) {
        balancers[i] = factory.create(u.algorithmConfig().copy(), views);
      }
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(field + ".algorithmConfig", e.getMessage()));
      return null;
    } catch (RuntimeException | LinkageError e) {
      errors.add(new FieldError(field + ".algorithm", "the '" + u.algorithm() + "' balancer failed: " + e));
      return null;
    }
    return new CompiledUpstream(u, state, targets, balancers);
  }

  private FilterChain chain(List<PluginBinding> bindings, ConfigDocument doc, List<FilterInstances.Key> acquired) {
    if (bindings.isEmpty()) {
      return FilterChain.EMPTY;
    }
    List<BoundFilter> filters = new ArrayList<>(bindings.size());
    for (PluginBinding b : bindings) {
      FilterFactory factory = plugins.filterFactory(b.pluginId());
      int priority = b.priority() != null ? b.priority() : factory != null ? factory.defaultPriority() : 0;
      var stats = plugins.stats(b.pluginId());
      if (factory == null || doc.pluginDisabled(b.pluginId())) {
        filters.add(new BoundFilter(b.pluginId(), b.id(), priority, b.failOpen(), null,
            factory == null ? plugins.unavailableReason(b.pluginId()) : "it is disabled by an operator", stats,
            filterTimeoutMillis));
        continue;
      }
      List<FieldError> cfgErrors = SchemaCheck.of(factory.configSchema()).check(b.config(), "config");
      if (!cfgErrors.isEmpty()) {
        filters.add(new BoundFilter(b.pluginId(), b.id(), priority, b.failOpen(), null,
            "its configuration does not fit the installed version's schema: " + cfgErrors.get(0).field()
                + " " + cfgErrors.get(0).message(), stats, filterTimeoutMillis));
        continue;
      }
      FilterInstances.Key key = new FilterInstances.Key(b.id(), b.config().encode(), factory);
      Filter filter;
      try {
        filter = filterInstances.acquire(key, b.pluginId(),
            () -> factory.create(b.config().copy(), plugins.context(b.pluginId(), b.id())));
        acquired.add(key);
      } catch (RuntimeException | LinkageError e) {
        filters.add(new BoundFilter(b.pluginId(), b.id(), priority, b.failOpen(), null,
            "creating its filter failed: " + e, stats, filterTimeoutMillis));
        continue;
      }
      filters.add(new BoundFilter(b.pluginId(), b.id(), priority, b.failOpen(), filter, null, stats,
          filterTimeoutMillis, plugins.guard(b.pluginId(), b.id(), filter)));
    }
    return new FilterChain(filters);
  }
}
