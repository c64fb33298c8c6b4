package io.frontdesk.admin;

import io.frontdesk.accesslog.LiveBus;
import io.frontdesk.accesslog.LogCsv;
import io.frontdesk.accesslog.LogQuery;
import io.frontdesk.accesslog.LogSearches;
import io.frontdesk.accesslog.LogStats;
import io.frontdesk.accesslog.PluginCost;
import io.frontdesk.metrics.Metrics;
import io.frontdesk.store.NodeRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlClient;
import java.util.Map;
import java.util.function.Function;

/**
 * What happened and what is happening: the access-log search, its statistics and export, live
 * traffic (JSON and server-sent events), the nodes, and Prometheus metrics. Every access-log query
 * goes through {@link LogSearches} (statement timeout, cancelled when the client leaves, a few at
 * once per caller).
 */
final class TrafficApi {

  private static final int EXPORT_MAX = 100_000;
  /** An export takes the search's filters (not its cursor) plus its format; its limit counts rows. */
  private static final java.util.Set<String> EXPORT_PARAMS = exportParams();
  /** Hour rollups (statistics) are kept this long, whatever the raw log's retention. */
  private static final int ROLLUP_DAYS = 90;

  private final Vertx vertx;
  private final LogSearches searches;
  private final LiveBus live;
  private final NodeRegistry nodes;
  private final Metrics metrics;
  private final int retentionDays;

  TrafficApi(Vertx vertx, LogSearches searches, LiveBus live, NodeRegistry nodes, Metrics metrics, int retentionDays) {
    this.vertx = vertx;
    this.searches = searches;
    this.live = live;
    this.nodes = nodes;
    this.metrics = metrics;
    this.retentionDays = retentionDays;
  }

  void mount(Router api) {
    QueryParams.only(api.get("/logs"), LogQuery.PARAMS).handler(ctx -> {
      LogQuery.Filters f = LogQuery.parse(ctx.request()::getParam, retentionDays);
      search(ctx, sql -> LogQuery.search(sql, f));
    });
    QueryParams.only(api.get("/logs/stats"), LogStats.PARAMS, searchOnly(LogStats.PARAMS)).handler(ctx -> {
      LogStats.Query q = LogStats.parse(ctx.request()::getParam, Math.max(retentionDays, ROLLUP_DAYS));
      search(ctx, sql -> LogStats.stats(sql, q));
    });
    QueryParams.only(api.get("/logs/plugin-cost"), "from", "to").handler(ctx -> {
      LogQuery.Range r = PluginCost.parse(ctx.request()::getParam, retentionDays);
      search(ctx, sql -> PluginCost.query(sql, r.from(), r.to()));
    });
    QueryParams.only(api.get("/logs/export"), EXPORT_PARAMS, Map.of("cursor",
        "is not a parameter of an export: it always starts at the newest row (use limit for fewer rows)"))
        .handler(this::export);
    QueryParams.only(api.get("/live"), "seconds").handler(ctx -> {
      int seconds = ConfigApi.intParam(ctx, "seconds", 300, 1, 300);
      ctx.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("samples", new JsonArray(live.history(seconds))).encode());
    });
    QueryParams.only(api.get("/live/stream")).handler(this::stream);
    QueryParams.only(api.get("/nodes")).handler(ctx -> ConfigApi.answer(ctx,
        nodes.list().map(a -> new JsonObject().put("items", a))));
  }

  /** Search filters that statistics cannot apply: each answer says where the filter works. */
  private static Map<String, String> searchOnly(java.util.Set<String> taken) {
    Map<String, String> hints = new java.util.HashMap<>();
    for (String p : LogQuery.PARAMS) {
      if (!taken.contains(p)) {
        hints.put(p, "is not a filter of statistics: they come from rollups kept per site and route (known: "
            + String.join(", ", new java.util.TreeSet<>(taken)) + "); GET /api/v1/logs?" + p + "=… searches by it");
      }
    }
    return hints;
  }

  private static java.util.Set<String> exportParams() {
    java.util.Set<String> p = new java.util.HashSet<>(LogQuery.PARAMS);
    p.remove("cursor");
    p.add("format");
    return java.util.Set.copyOf(p);
  }

  /** Answers with one guarded query: 429 past the caller's concurrent searches, 503 past the timeout. */
  void search(RoutingContext ctx, Function<SqlClient, Future<JsonObject>> work) {
    LogSearches.Permit permit = permit(ctx);
    if (permit == null) {
      return;
    }
    searches.run(abandoned(ctx), work).onComplete(ar -> permit.close())
        .onSuccess(json -> ctx.response().putHeader("content-type", "application/json").end(json.encode()))
        .onFailure(t -> failed(ctx, t));
  }

  /** @return a permit, or {@code null} after answering 429 */
  private LogSearches.Permit permit(RoutingContext ctx) {
    String caller = AuthApi.actor(ctx);
    LogSearches.Permit permit = searches.tryAcquire(caller);
    if (permit == null) {
      ctx.response().putHeader("retry-after", "1");
      ApiErrors.reply(ctx, 429, "too_many_searches", "'" + caller + "' already runs "
          + searches.limits().perCaller() + " access-log searches at once (--log-searches-per-caller); "
          + "wait for one to finish", null);
    }
    return permit;
  }

  /** @return completes when the client has gone before the answer was complete */
  private static Future<Void> abandoned(RoutingContext ctx) {
    Promise<Void> gone = Promise.promise();
    // Through an end handler: routing contexts own the response's close handler, and an end handler
    // added later (exports add one) would silently replace a close handler set here.
    ctx.addEndHandler(ar -> {
      if (ar.failed()) {
        gone.tryComplete();
      }
    });
    return gone.future();
  }

  private static void failed(RoutingContext ctx, Throwable t) {
    if (ctx.response().closed()) {
      return; // the client left; its query was cancelled
    }
    if (t instanceof LogSearches.TimedOut) {
      ApiErrors.reply(ctx, 503, "search_timeout", t.getMessage(), null);
    } else {
      ApiErrors.send(ctx, t);
    }
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
          java.util.List.of(new io.frontdesk.validation.FieldError("format", "must be csv, json or ndjson")));
      return;
    }
    int rows = ConfigApi.intParam(ctx, "limit", EXPORT_MAX, 1, EXPORT_MAX);
    Map<String, String> params = new java.util.HashMap<>();
    ctx.queryParams().forEach(e -> params.put(e.getKey(), e.getValue()));
    params.put("limit", Integer.toString(Math.min(rows, 1000)));
    LogQuery.Filters first = LogQuery.parse(params::get, retentionDays);
    LogSearches.Permit permit = permit(ctx);
    if (permit == null) {
      return;
    }
    Future<Void> gone = abandoned(ctx);
    ctx.addEndHandler(v -> permit.close());
    HttpServerResponse res = ctx.response().setChunked(true)
        .putHeader("content-type", format.equals("csv") ? "text/csv; charset=utf-8"
            : format.equals("json") ? "application/json" : "application/x-ndjson")
        .putHeader("content-disposition", "attachment; filename=\"frontdesk-logs." + (format.equals("ndjson")
            ? "jsonl" : format) + "\"");
    if (format.equals("csv")) {
      res.write(LogCsv.header() + "\n");
    } else if (format.equals("json")) {
      res.write("[");
    }
    page(ctx, gone, res, format, params, first, 0, true, rows);
  }

  private void page(RoutingContext ctx, Future<Void> gone, HttpServerResponse res, String format,
      Map<String, String> params, LogQuery.Filters f, int written, boolean firstItem, int rows) {
    searches.run(gone, sql -> LogQuery.search(sql, f)).onFailure(t -> res.reset()).onSuccess(page -> {
      StringBuilder sb = new StringBuilder();
      int n = written;
      boolean first = firstItem;
      for (Object o : page.getJsonArray("items")) {
        if (n >= rows) {
          break;
        }
        JsonObject item = (JsonObject) o;
        switch (format) {
          case "csv" -> sb.append(LogCsv.line(item)).append('\n');
          case "json" -> sb.append(first ? "" : ",").append(item.encode());
          default -> sb.append(item.encode()).append('\n');
        }
        first = false;
        n++;
      }
      res.write(Buffer.buffer(sb.toString()));
      String next = page.getString("next");
      if (next == null || n >= rows || res.closed()) {
        res.end(format.equals("json") ? "]\n" : "");
        return;
      }
      params.put("cursor", next);
      int done = n;
      boolean f2 = first;
      Runnable more = () -> page(ctx, gone, res, format, params, LogQuery.parse(params::get, retentionDays), done, f2,
          rows);
      if (res.writeQueueFull()) {
        res.drainHandler(v -> more.run());
      } else {
        more.run();
      }
    });
  }
}
