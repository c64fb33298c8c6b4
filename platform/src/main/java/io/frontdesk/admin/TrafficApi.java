package io.frontdesk.admin;

import io.frontdesk.accesslog.LiveBus;
import io.frontdesk.accesslog.LogQuery;
import io.frontdesk.accesslog.LogStats;
import io.frontdesk.metrics.Metrics;
import io.frontdesk.store.NodeRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/**
 * What happened and what is happening: the access-log search, its statistics and export, live
 * traffic (JSON and server-sent events), the nodes, and Prometheus metrics.
 */
final class TrafficApi {

  private static final int EXPORT_MAX = 100_000;

  private final Vertx vertx;
  private final Pool pool;
  private final LiveBus live;
  private final NodeRegistry nodes;
  private final Metrics metrics;
  private final int retentionDays;

  TrafficApi(Vertx vertx, Pool pool, LiveBus live, NodeRegistry nodes, Metrics metrics, int retentionDays) {
    this.vertx = vertx;
    this.pool = pool;
    this.live = live;
    this.nodes = nodes;
    this.metrics = metrics;
    this.retentionDays = retentionDays;
  }

  void mount(Router api) {
    api.get("/logs").handler(ctx -> ConfigApi.answer(ctx, LogQuery.search(pool, LogQuery.parse(ctx.request()::getParam,
        retentionDays))));
    api.get("/logs/stats").handler(ctx -> ConfigApi.answer(ctx, LogStats.stats(pool, LogStats.parse(ctx.request()::getParam))));
    api.get("/logs/plugin-cost").handler(ctx -> ConfigApi.answer(ctx,
        io.frontdesk.accesslog.PluginCost.query(pool, ctx.request()::getParam)));
    api.get("/logs/export").handler(this::export);
    api.get("/live").handler(ctx -> {
      int seconds = ConfigApi.intParam(ctx, "seconds", 300, 1, 300);
      ctx.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("samples", new JsonArray(live.history(seconds))).encode());
    });
    api.get("/live/stream").handler(this::stream);
    api.get("/nodes").handler(ctx -> ConfigApi.answer(ctx, nodes.list().map(a -> new JsonObject().put("items", a))));
  }

  /** Prometheus text on {@code /metrics}. */
  void mountMetrics(Router root) {
    root.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
  }

  /** Server-sent events: one {@code sample} event per second, merged over every node. */
  private void stream(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no");
    res.write("retry: 2000\n\n");
    Runnable[] unsubscribe = new Runnable[1];
    unsubscribe[0] = live.subscribe(sample -> ctx.vertx().runOnContext(v -> {
      if (res.closed() || res.ended()) {
        unsubscribe[0].run();
        return;
      }
      if (!res.writeQueueFull()) { // a slow browser skips seconds instead of piling them up
        res.write("event: sample\ndata: " + sample.encode() + "\n\n");
      }
    }));
    res.closeHandler(v -> unsubscribe[0].run());
  }

  /** Up to 100,000 rows of a search as CSV, JSON or JSON lines, written page by page. */
  private void export(RoutingContext ctx) {
    String format = ctx.request().getParam("format", "csv");
    if (!format.equals("csv") && !format.equals("json") && !format.equals("ndjson")) {
      ApiErrors.reply(ctx, 400, "invalid", "the request has invalid fields",
          java.util.List.of(new io.frontdesk.config.FieldError("format", "must be csv, json or ndjson")));
      return;
    }
    Map<String, String> params = new java.util.HashMap<>();
    ctx.request().params().forEach(e -> params.put(e.getKey(), e.getValue()));
    params.put("limit", "1000");
    params.remove("cursor");
    LogQuery.Filters first = LogQuery.parse(params::get, retentionDays);
    HttpServerResponse res = ctx.response().setChunked(true)
        .putHeader("content-type", format.equals("csv") ? "text/csv; charset=utf-8"
            : format.equals("json") ? "application/json" : "application/x-ndjson")
        .putHeader("content-disposition", "attachment; filename=\"frontdesk-logs." + (format.equals("ndjson")
            ? "jsonl" : format) + "\"");
    if (format.equals("csv")) {
      res.write(String.join(",", LogQuery.csvColumns(new JsonObject()).keySet()) + "\n");
    } else if (format.equals("json")) {
      res.write("[");
    }
    page(ctx, res, format, params, first, 0, true);
  }

  private void page(RoutingContext ctx, HttpServerResponse res, String format, Map<String, String> params,
      LogQuery.Filters f, int written, boolean firstItem) {
    LogQuery.search(pool, f).onFailure(t -> res.reset()).onSuccess(page -> {
      StringBuilder sb = new StringBuilder();
      int n = written;
      boolean first = firstItem;
      for (Object o : page.getJsonArray("items")) {
        if (n >= EXPORT_MAX) {
          break;
        }
        JsonObject item = (JsonObject) o;
        switch (format) {
          case "csv" -> sb.append(csvLine(item)).append('\n');
          case "json" -> sb.append(first ? "" : ",").append(item.encode());
          default -> sb.append(item.encode()).append('\n');
        }
        first = false;
        n++;
      }
      res.write(Buffer.buffer(sb.toString()));
      String next = page.getString("next");
      if (next == null || n >= EXPORT_MAX || res.closed()) {
        res.end(format.equals("json") ? "]\n" : "");
        return;
      }
      params.put("cursor", next);
      int done = n;
      boolean f2 = first;
      Runnable more = () -> page(ctx, res, format, params, LogQuery.parse(params::get, retentionDays), done, f2);
      if (res.writeQueueFull()) {
        res.drainHandler(v -> more.run());
      } else {
        more.run();
      }
    });
  }

  private static String csvLine(JsonObject item) {
    StringBuilder sb = new StringBuilder();
    for (Object v : LogQuery.csvColumns(item).values()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      if (v != null) {
        String s = String.valueOf(v);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
          sb.append('"').append(s.replace("\"", "\"\"")).append('"');
        } else {
          sb.append(s);
        }
      }
    }
    return sb.toString();
  }
}
