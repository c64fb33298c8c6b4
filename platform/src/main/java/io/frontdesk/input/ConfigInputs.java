package io.frontdesk.input;

import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.routing.HostPattern;
import io.frontdesk.store.BindingInput;
import io.frontdesk.store.References;
import io.frontdesk.store.RouteInput;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.frontdesk.validation.SchemaCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what the admin API receives: the JSON Schema of each resource, then the rules a schema
 * cannot express (host patterns, regexes, algorithm names, …). Every problem found is reported at
 * once, each with its field.
 */
public final class ConfigInputs {

  private static final SchemaCheck SITE = SchemaCheck.resource(ConfigInputs.class, "site.schema.json");
  private static final SchemaCheck UPSTREAM = SchemaCheck.resource(ConfigInputs.class, "upstream.schema.json");
  private static final SchemaCheck ROUTE = SchemaCheck.resource(ConfigInputs.class, "route.schema.json");
  private static final SchemaCheck BINDING = SchemaCheck.resource(ConfigInputs.class, "binding.schema.json");
  private static final Pattern TARGET_HOST = Pattern.compile("^[A-Za-z0-9._:\\-\\[\\]%]+$");

  private ConfigInputs() {
  }

  public static JsonObject siteSchema() {
    return SITE.schema();
  }

  public static JsonObject upstreamSchema() {
    return UPSTREAM.schema();
  }

  public static JsonObject routeSchema() {
    return ROUTE.schema();
  }

  public static JsonObject bindingSchema() {
    return BINDING.schema();
  }

  /** @throws InvalidConfigException with every field error */
  public static Site site(JsonObject in) {
    List<FieldError> errors = new ArrayList<>(SITE.check(in, ""));
    // Host rules are checked even when another field broke the schema (every error at once),
    // unless the schema already found fault with the hosts themselves.
    boolean hostsShapeOk = errors.stream().noneMatch(e -> e.field().startsWith("hosts"))
        && in.getValue("hosts") instanceof JsonArray a && a.stream().allMatch(String.class::isInstance);
    if (errors.isEmpty()) {
      checkName(in.getString("name"), errors);
    }
    if (hostsShapeOk) {
      Set<String> seen = new HashSet<>();
      JsonArray hosts = in.getJsonArray("hosts");
      for (int i = 0; i < hosts.size(); i++) {
        String h = hosts.getString(i).trim().toLowerCase(Locale.ROOT);
        String problem = HostPattern.problem(h);
        if (problem != null) {
          errors.add(new FieldError("hosts[" + i + "]", "'" + hosts.getString(i) + "' " + problem));
        } else if (!seen.add(h)) {
          errors.add(new FieldError("hosts[" + i + "]", "'" + h + "' is listed twice"));
        }
      }
    }
    throwIf(errors);
    return Site.fromJson(null, in.getString("name"), in);
  }

  /** @throws InvalidConfigException with every field error */
  public static Upstream upstream(JsonObject in, PluginCatalog plugins) {
    List<FieldError> errors = new ArrayList<>(UPSTREAM.check(in, ""));
    if (errors.isEmpty()) {
      checkName(in.getString("name"), errors);
      JsonArray targets = in.getJsonArray("targets");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < targets.size(); i++) {
        JsonObject t = targets.getJsonObject(i);
        String host = t.getString("host").trim();
        if (!TARGET_HOST.matcher(host).matches() || host.startsWith("-") || host.startsWith(".")) {
          errors.add(new FieldError("targets[" + i + "].host", "'" + host + "' is not a host name or IP address"));
        }
        String addr = host.toLowerCase(Locale.ROOT) + ":" + t.getInteger("port");
        if (!seen.add(addr)) {
          errors.add(new FieldError("targets[" + i + "]", "target " + addr + " is listed twice"));
        }
      }
      JsonObject active = in.getJsonObject("healthCheck", new JsonObject()).getJsonObject("active");
      if (active != null) {
        String path = active.getString("path", "/");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
          errors.add(new FieldError("healthCheck.active.path", "must start with '/' and contain no spaces"));
        }
        for (Object st : active.getJsonArray("expectedStatuses", new JsonArray())) {
          String r = String.valueOf(st);
          int dash = r.indexOf('-');
          if (dash > 0 && Integer.parseInt(r.substring(0, dash)) > Integer.parseInt(r.substring(dash + 1))) {
            errors.add(new FieldError("healthCheck.active.expectedStatuses", "range " + r + " is backwards"));
          }
        }
      }
      JsonObject passive = in.getJsonObject("healthCheck", new JsonObject()).getJsonObject("passive");
      if (passive != null && passive.getInteger("maxEjectionMs", 300_000) < passive.getInteger("baseEjectionMs", 10_000)) {
        errors.add(new FieldError("healthCheck.passive.maxEjectionMs", "must not be shorter than baseEjectionMs"));
      }
      String algorithm = in.getString("algorithm", Upstream.DEFAULT_ALGORITHM);
      LoadBalancerFactory lb = plugins.balancer(algorithm);
      if (lb == null) {
        errors.add(new FieldError("algorithm", "unknown algorithm '" + algorithm + "'; installed: "
            + String.join(", ", plugins.algorithms())));
      } else {
        errors.addAll(SchemaCheck.of(lb.configSchema()).check(in.getJsonObject("algorithmConfig", new JsonObject()),
            "algorithmConfig"));
      }
    }
    throwIf(errors);
    return Upstream.fromJson(null, in.getString("name"), in);
  }

  /** @throws InvalidConfigException with every field error */
  public static RouteInput route(JsonObject in) {
    List<FieldError> errors = new ArrayList<>(ROUTE.check(in, ""));
    if (errors.isEmpty()) {
      checkName(in.getString("name"), errors);
      JsonObject match = in.getJsonObject("match", new JsonObject());
      int forms = (match.containsKey("pathPrefix") ? 1 : 0) + (match.containsKey("path") ? 1 : 0)
          + (match.containsKey("pathRegex") ? 1 : 0);
      if (forms > 1) {
        errors.add(new FieldError("match", "give only one of pathPrefix, path and pathRegex (to switch in a merge "
            + "patch, set the one in place to null)"));
      }
      if (match.containsKey("pathRegex")) {
        try {
          Pattern p = Pattern.compile(match.getString("pathRegex"));
          String rewrite = in.getString("rewrite");
          if (rewrite != null) {
            try {
              p.matcher("").replaceFirst(rewrite);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
              errors.add(new FieldError("rewrite", "is not a valid replacement for the regex: " + e.getMessage()));
            }
          }
        } catch (PatternSyntaxException e) {
          errors.add(new FieldError("match.pathRegex", "is not a valid regular expression: " + e.getDescription()));
        }
      }
      if (in.getBoolean("stripPrefix", false) && (match.containsKey("path") || match.containsKey("pathRegex"))) {
        errors.add(new FieldError("stripPrefix", "only applies to a pathPrefix match"));
      }
      String rewrite = in.getString("rewrite");
      if (rewrite != null && !match.containsKey("pathRegex") && !rewrite.startsWith("/")) {
        errors.add(new FieldError("rewrite", "must start with '/'"));
      }
      JsonObject headers = match.getJsonObject("headers", new JsonObject());
      for (String name : headers.fieldNames()) {
        if (!name.matches("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")) {
          errors.add(new FieldError("match.headers." + name, "is not a valid header name"));
        }
      }
    }
    throwIf(errors);
    JsonObject spec = Route.fromJson(null, in.getString("name"), null, null, in).spec();
    return new RouteInput(in.getString("name"), in.getString("site"), in.getString("upstream"), spec);
  }

  /**
   * Checks a new binding: the plugin must be available, and its configuration valid for it.
   *
   * @throws InvalidConfigException with every field error
   */
  public static BindingInput binding(String pluginId, JsonObject in, PluginCatalog plugins) {
    return binding(pluginId, in, plugins, null);
  }

  /**
   * Checks a binding; for a change to an existing binding ({@code existingKind} not null) whose
   * plugin is absent, the configuration is kept unchecked, so bindings stay editable (disable,
   * fail-open, delete) while a jar is missing.
   *
   * @throws InvalidConfigException with every field error
   */
  public static BindingInput binding(String pluginId, JsonObject in, PluginCatalog plugins,
      PluginBinding.Kind existingKind) {
    List<FieldError> errors = new ArrayList<>(BINDING.check(in, ""));
    PluginBinding.Scope scope = null;
    // Each part is checked when its own fields are sound, so every error is reported at once.
    if (errors.stream().noneMatch(e -> e.field().equals("scope") || e.field().equals("target")
        || e.field().isEmpty())) {
      scope = PluginBinding.Scope.valueOf(in.getString("scope").toUpperCase(Locale.ROOT));
      String target = in.getString("target");
      if (scope == PluginBinding.Scope.GLOBAL && target != null) {
        errors.add(new FieldError("target", "a global binding has no target"));
      } else if (scope != PluginBinding.Scope.GLOBAL && (target == null || target.isBlank())) {
        errors.add(new FieldError("target", "is required: the " + scope.json() + "'s name or id"));
      }
    }
    var filter = plugins.filterFactory(pluginId);
    var sink = plugins.logSinkFactory(pluginId);
    if (filter == null && sink == null) {
      if (existingKind == null) {
        errors.add(new FieldError("plugin", "plugin '" + pluginId + "' is not available: "
            + plugins.unavailableReason(pluginId)));
      }
    } else if (errors.stream().noneMatch(e -> e.field().equals("config") || e.field().isEmpty())) {
      JsonObject schema = filter != null ? filter.configSchema() : sink.configSchema();
      JsonObject config = in.getJsonObject("config", new JsonObject());
      List<FieldError> cfg = SchemaCheck.of(schema).check(config, "config");
      errors.addAll(cfg);
      if (errors.isEmpty()) {
        // The factory has the last word on what the schema cannot say; the trial filter is discarded.
        try {
          if (filter != null) {
            filter.create(config.copy(), plugins.context(pluginId)).close();
          }
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("config", e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
          errors.add(new FieldError("config", "the plugin rejected this configuration: " + e));
        }
      }
    }
    throwIf(errors);
    PluginBinding.Kind kind = plugins.filterFactory(pluginId) != null ? PluginBinding.Kind.FILTER
        : plugins.logSinkFactory(pluginId) != null ? PluginBinding.Kind.LOG_SINK : existingKind;
    PluginBinding b = PluginBinding.fromJson(null, pluginId, scope, null, null, in).withKind(kind);
    return new BindingInput(scope, in.getString("target"), b.spec());
  }

  private static void checkName(String name, List<FieldError> errors) {
    if (References.isId(name)) {
      errors.add(new FieldError("name", "must not have the form of an id (a UUID)"));
    }
  }

  private static void throwIf(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
  }
}
