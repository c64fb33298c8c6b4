package io.frontdesk.routing;

import io.frontdesk.upstream.CompiledUpstream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One compiled, immutable configuration: what every exchange that starts on it uses to the end,
 * even after a newer snapshot has been swapped in. Counts the exchanges in flight so resources
 * (filters) are released only once the last of them has finished.
 */
public final class ConfigSnapshot {

  private final long version;
  private final long pluginGeneration;
  private final HostTable<CompiledSite> hosts;
  private final Map<String, CompiledUpstream> upstreams;
  private final List<CompiledRoute> routes;
  private final boolean anyFilters;
  private final List<String> warnings;
  private final List<io.frontdesk.config.PluginBinding> logSinks;
  private final Runnable onDrained;
  private final LongAdder inFlight = new LongAdder();
  private volatile long retiredAtNanos;
  private boolean released;

  public ConfigSnapshot(long version, long pluginGeneration, HostTable<CompiledSite> hosts,
      Map<String, CompiledUpstream> upstreams, List<CompiledRoute> routes, List<String> warnings,
      List<io.frontdesk.config.PluginBinding> logSinks, Runnable onDrained) {
    this.version = version;
    this.pluginGeneration = pluginGeneration;
    this.hosts = hosts;
    this.upstreams = Map.copyOf(upstreams);
    this.routes = List.copyOf(routes);
    this.anyFilters = this.routes.stream().anyMatch(r -> !r.chain().isEmpty());
    this.warnings = List.copyOf(warnings);
    this.logSinks = List.copyOf(logSinks);
    this.onDrained = onDrained;
  }

  public long version() {
    return version;
  }

  public long pluginGeneration() {
    return pluginGeneration;
  }

  /** @return the site for a lower-case host name without port, or {@code null} */
  public CompiledSite site(String host) {
    return hosts.find(host);
  }

  /** @return upstreams by id */
  public Map<String, CompiledUpstream> upstreams() {
    return upstreams;
  }

  /** @return whether the site serving {@code host} has filters (which may read the client's request as it came) */
  public boolean hasFiltersFor(String host) {
    CompiledSite site = anyFilters ? site(host) : null;
    return site != null && site.anyFilters();
  }

  /** @return the route with this id, or {@code null} */
  public CompiledRoute route(String id) {
    for (CompiledRoute r : routes) {
      if (r.route().id().equals(id)) {
        return r;
      }
    }
    return null;
  }

  public List<CompiledRoute> routes() {
    return routes;
  }

  /** @return things that work but deserve attention (e.g. a missing balancer plugin) */
  public List<String> warnings() {
    return warnings;
  }

  /** @return the enabled log-sink bindings of plugins that are enabled */
  public List<io.frontdesk.config.PluginBinding> logSinks() {
    return logSinks;
  }

  /** An exchange starts using this snapshot. */
  public void enter() {
    inFlight.increment();
  }

  /** An exchange that entered has finished. */
  public void exit() {
    inFlight.decrement();
  }

  public long inFlight() {
    return inFlight.sum();
  }

  void retire(long nowNanos) {
    retiredAtNanos = nowNanos;
  }

  long retiredAtNanos() {
    return retiredAtNanos;
  }

  synchronized void drained() {
    if (onDrained != null && !released) {
      released = true;
      onDrained.run();
    }
  }
}
