package io.frontdesk.pluginhost;

import io.frontdesk.api.lb.LoadBalancerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the API shows about one plugin (or one unusable jar). */
public record PluginInfo(
    String id,
    String version,
    String description,
    String provider,
    String requires,
    String state,
    String source,
    String jar,
    String reason,
    List<String> extensions,
    Integer defaultPriority,
    JsonObject configSchema,
    Instant loadedAt) {

  /** A started plugin, described by the extensions it offers. */
  static PluginInfo started(String id, String version, String description, String provider, String requires,
      String source, PluginRegistry.Extensions ext) {
    List<String> kinds = new ArrayList<>();
    if (ext.filter() != null) {
      kinds.add("filter");
    }
    if (ext.logSink() != null) {
      kinds.add("logSink");
    }
    for (LoadBalancerFactory b : ext.balancers()) {
      kinds.add("balancer:" + b.algorithm());
    }
    JsonObject schema = ext.filter() != null ? ext.filter().configSchema()
        : ext.logSink() != null ? ext.logSink().configSchema() : null;
    return new PluginInfo(id, version, description, provider, requires, "STARTED", source, null, null, kinds,
        ext.filter() == null ? null : ext.filter().defaultPriority(), schema, Instant.now());
  }

  /** A jar that cannot be used; id, version and requires are null when its manifest could not be read. */
  static PluginInfo failed(String id, String version, String requires, String jar, String reason) {
    return new PluginInfo(id, version, null, null, requires, "FAILED", "jar", jar, reason, List.of(), null, null,
        Instant.now());
  }

  PluginInfo withJar(String jarName) {
    return new PluginInfo(id, version, description, provider, requires, state, source, jarName, reason, extensions,
        defaultPriority, configSchema, loadedAt);
  }

  PluginInfo withReason(String why) {
    return new PluginInfo(id, version, description, provider, requires, state, source, jar, why, extensions,
        defaultPriority, configSchema, loadedAt);
  }

  public JsonObject toJson(FilterStats stats, boolean disabled) {
    JsonObject j = new JsonObject()
        .put("id", id).put("version", version).put("description", description).put("provider", provider)
        .put("requires", requires).put("state", disabled && "STARTED".equals(state) ? "DISABLED" : state)
        .put("enabled", !disabled).put("source", source).put("jar", jar).put("reason", reason)
        .put("extensions", new JsonArray(new ArrayList<>(extensions)))
        .put("defaultPriority", defaultPriority).put("configSchema", configSchema)
        .put("loadedAt", loadedAt == null ? null : loadedAt.toString());
    if (stats != null) {
      long calls = stats.calls();
      j.put("stats", new JsonObject().put("calls", calls).put("errors", stats.errors())
          .put("timeouts", stats.timeouts()).put("stalls", stats.stalls())
          .put("avgMicros", calls == 0 ? 0 : stats.nanos() / calls / 1000));
    }
    return j;
  }
}
