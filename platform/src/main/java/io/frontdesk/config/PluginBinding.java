package io.frontdesk.config;

import io.vertx.core.json.JsonObject;

/**
 * A plugin enabled for all traffic, one site or one route, with its configuration.
 *
 * @param scope where it applies
 * @param siteId the site for scope {@code site}, else {@code null}
 * @param routeId the route for scope {@code route}, else {@code null}
 * @param config the plugin configuration, valid against the plugin's schema
 * @param priority the place in the chain; {@code null} = the plugin's default
 * @param enabled a disabled binding is kept but not run
 * @param failOpen when the plugin is missing or its filter fails, skip it instead of answering
 *     503/500 (for non-security plugins whose absence should not stop traffic)
 * @param kind what the plugin offered when the binding was saved: a filter in the chain, or a log
 *     sink; kept so a binding keeps its role while its jar is absent
 */
public record PluginBinding(
    String id,
    String pluginId,
    Scope scope,
    String siteId,
    String routeId,
    JsonObject config,
    Integer priority,
    boolean enabled,
    boolean failOpen,
    Kind kind) {

  /** The role of a binding. */
  public enum Kind {
    FILTER, LOG_SINK;

    public String json() {
      return this == FILTER ? "filter" : "logSink";
    }

    public static Kind parse(String s) {
      return "logSink".equals(s) ? LOG_SINK : FILTER;
    }
  }

  /** Where a binding applies. */
  public enum Scope {
    GLOBAL, SITE, ROUTE;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public PluginBinding {
    config = config == null ? new JsonObject() : config.copy();
  }

  public static PluginBinding fromJson(String id, String pluginId, Scope scope, String siteId, String routeId,
      JsonObject json) {
    return new PluginBinding(id, pluginId, scope, siteId, routeId,
        json.getJsonObject("config", new JsonObject()),
        json.getInteger("priority"),
        json.getBoolean("enabled", true),
        json.getBoolean("failOpen", false),
        Kind.parse(json.getString("kind")));
  }

  public PluginBinding withKind(Kind k) {
    return new PluginBinding(id, pluginId, scope, siteId, routeId, config, priority, enabled, failOpen, k);
  }

  public JsonObject spec() {
    return new JsonObject()
        .put("config", config.copy())
        .put("priority", priority)
        .put("enabled", enabled)
        .put("failOpen", failOpen)
        .put("kind", kind.json());
  }
}
