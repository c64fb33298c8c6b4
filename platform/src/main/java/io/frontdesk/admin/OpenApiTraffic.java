package io.frontdesk.admin;

import static io.frontdesk.admin.OpenApiDocument.ok;
import static io.frontdesk.admin.OpenApiDocument.paging;
import static io.frontdesk.admin.OpenApiDocument.pathParam;
import static io.frontdesk.admin.OpenApiDocument.str;

import io.frontdesk.accesslog.LogQuery;
import io.frontdesk.accesslog.LogStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OpenAPI paths of what is running rather than configured: plugins, health, the access log,
 * live traffic, nodes, the overview and the demo. The query parameters listed are the ones the
 * endpoints accept ({@link QueryParams} refuses any other).
 */
final class OpenApiTraffic {

  private static final Map<String, String> LOG_PARAMS = Map.ofEntries(
      Map.entry("from", "ISO-8601 time or an age (15m, 2h, 7d); default 1h ago"),
      Map.entry("to", "ISO-8601 time or an age; default now"),
      Map.entry("site", "Site name."), Map.entry("route", "Route name."), Map.entry("upstream", "Upstream name."),
      Map.entry("target", "Target host:port."),
      Map.entry("status", "Codes and classes, comma-separated: 404, 5xx, 429,503."),
      Map.entry("method", "Methods, comma-separated."), Map.entry("pathPrefix", "Path starts with."),
      Map.entry("pathContains", "Path contains."), Map.entry("client", "An address or a CIDR."),
      Map.entry("minDurationMs", "Slower than this."), Map.entry("requestId", "One request."),
      Map.entry("q", "Text in the path or the user agent."), Map.entry("sort", "time (default) or duration."),
      Map.entry("limit", "1-1000, default 100 (export: rows, up to 100000)."),
      Map.entry("cursor", "The next of the page before."), Map.entry("bucket", "auto, or 1m, 15m, 1h, 1d …"),
      Map.entry("format", "csv, json or ndjson."));

  private OpenApiTraffic() {
  }

  static void add(JsonObject paths) {
    JsonObject any = new JsonObject().put("type", "object");
    paths.put("/bindings", new JsonObject().put("get", get("Every plugin binding, oldest first").put("parameters",
        paging())));
    paths.put("/bindings/order", new JsonObject().put("put", new JsonObject()
        .put("summary", "Set the priorities of several bindings at once: {bindings: [{id, priority}]}")
        .put("responses", ok(any))));
    paths.put("/plugins", new JsonObject()
        .put("get", get("Installed plugins: version, state, extensions, schema, counters, failure reason"))
        .put("post", new JsonObject().put("summary", "Install a plugin jar (the body, or a multipart file)")
            .put("responses", ok(any))));
    paths.put("/plugins/{id}", withPath("id", "The plugin id (or the jar's name).")
        .put("get", get("One plugin")));
    for (String verb : new String[] {"enable", "disable"}) {
      paths.put("/plugins/{id}/" + verb, withPath("id", "The plugin id.")
          .put("post", new JsonObject().put("summary", "Switch the plugin " + (verb.equals("enable") ? "on" : "off")
              + " for every node").put("responses", ok(any))));
    }
    paths.put("/health/upstreams", new JsonObject().put("get", get("This node's view of every upstream's targets: "
        + "state (unknown, healthy, unhealthy, ejected, circuit-open, circuit-half-open, slow-start), reason, "
        + "since, active check, ejection, circuit, in flight, latency")));
    paths.put("/upstreams/{ref}/health", withPath("ref", "The upstream's id or name.")
        .put("get", get("This node's view of one upstream's targets (as in /health/upstreams)")));
    paths.put("/logs", new JsonObject().put("get", get("Search the access log, newest (or slowest) first; "
        + "{items, next}").put("parameters", params(LogQuery.PARAMS))));
    java.util.Set<String> export = new java.util.HashSet<>(LogQuery.PARAMS);
    export.remove("cursor");
    export.add("format");
    paths.put("/logs/export", new JsonObject().put("get", get("Every matching record as a download (CSV, JSON, "
        + "JSON lines), up to 100,000").put("parameters", params(export))));
    paths.put("/logs/stats", new JsonObject().put("get", get("Chart figures from the rollups: a bucket for every "
        + "step of the range (zero when there was no traffic), totals, status codes, top paths and clients")
        .put("parameters", params(LogStats.PARAMS))));
    paths.put("/logs/plugin-cost", new JsonObject().put("get", get("Per plugin: runs, average and p95 µs, how "
        + "often it did not continue").put("parameters", params(java.util.Set.of("from", "to")))));
    paths.put("/live", new JsonObject().put("get", get("The last seconds of traffic, per second, summed over "
        + "every node").put("parameters", new JsonArray().add(new JsonObject().put("name", "seconds")
            .put("in", "query").put("schema", new JsonObject().put("type", "integer").put("minimum", 1)
                .put("maximum", 300).put("default", 300))))));
    paths.put("/live/stream", new JsonObject().put("get", new JsonObject()
        .put("summary", "The same as Server-Sent Events, one 'sample' event a second")
        .put("responses", new JsonObject().put("200", new JsonObject().put("description", "text/event-stream")))));
    paths.put("/nodes", new JsonObject().put("get", get("Every node sharing the database: config version, "
        + "uptime, traffic")));
    paths.put("/overview", new JsonObject().put("get", get("The landing page's figures: requests, 5xx and p99 "
        + "over the window (access log, every node), targets down (this node's view), failed plugins, nodes behind "
        + "the current config version, certificates")
        .put("parameters", new JsonArray().add(new JsonObject().put("name", "window").put("in", "query")
            .put("schema", str().put("default", "1h")).put("description", "An age such as 15m, 1h, 24h, 7d.")))
        .put("responses", ok(overviewSchema()))));
    paths.put("/demo", new JsonObject()
        .put("get", get("Whether the demo exists, its backends' ports"))
        .put("post", new JsonObject().put("summary", "Create (or repair) the demo").put("responses", ok(any)))
        .put("delete", new JsonObject().put("summary", "Remove the demo").put("responses", OpenApiDocument.deleted())));
  }

  private static JsonObject get(String summary) {
    return new JsonObject().put("summary", summary).put("parameters", new JsonArray())
        .put("responses", ok(new JsonObject().put("type", "object")));
  }

  private static JsonObject withPath(String name, String description) {
    return new JsonObject().put("parameters", new JsonArray().add(pathParam(name, description)));
  }

  private static JsonArray params(java.util.Set<String> names) {
    JsonArray a = new JsonArray();
    for (String n : new TreeSet<>(names)) {
      a.add(new JsonObject().put("name", n).put("in", "query").put("schema", str())
          .put("description", LOG_PARAMS.getOrDefault(n, "")));
    }
    return a;
  }

  private static JsonObject overviewSchema() {
    JsonObject integer = new JsonObject().put("type", "integer");
    JsonObject text = str();
    JsonObject list = new JsonObject().put("type", "array");
    return new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("window", text).put("requests", integer).put("errors5xx", integer)
        .put("errorRate", new JsonObject().put("type", "number").put("minimum", 0).put("maximum", 1))
        .put("p99Micros", new JsonObject().put("type", new JsonArray().add("integer").add("null")))
        .put("targetsDown", list.copy().put("items", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("upstream", text).put("target", text).put("state", text).put("reason", text)
                .put("since", text))))
        .put("pluginsFailed", list.copy().put("items", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("id", text).put("reason", text))))
        .put("nodesBehind", list.copy().put("items", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("node", text).put("appliedVersion", integer).put("currentVersion", integer))))
        .put("certificates", list.copy().put("items", new JsonObject().put("type", "object"))));
  }
}
