package io.frontdesk.accesslog;

import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Aggregates for charts ({@code GET /api/v1/logs/stats}), read from the rollup tables, never from
 * raw rows: per-minute rollups for buckets under an hour, per-hour ones otherwise, so a 24-hour or
 * a 30-day chart costs the same few hundred rows.
 */
public final class LogStats {

  /** What was asked. */
  public record Query(Instant from, Instant to, long bucketSeconds, String site, String route) {
    char grain() {
      return bucketSeconds < 3600 ? 'm' : 'h';
    }
  }

  /** Every parameter statistics read: the rollups they come from are kept per site and route only. */
  public static final java.util.Set<String> PARAMS = java.util.Set.of("from", "to", "bucket", "site", "route");

  private LogStats() {
  }

  /**
   * @param keptDays how far back the rollups go (from and to are clamped to it)
   * @throws InvalidConfigException listing bad parameters
   */
  public static Query parse(Function<String, String> param, int keptDays) {
    List<FieldError> errors = new ArrayList<>();
    Instant now = Instant.now();
    LogQuery.Range range = LogQuery.range(param, now, now.minus(Duration.ofHours(1)), keptDays, errors);
    Instant from = range.from();
    Instant to = range.to();
    long bucket = 0;
    String b = LogQuery.blank(param.apply("bucket"));
    if (b == null || b.equals("auto")) {
      if (from != null && to != null) {
        long span = Duration.between(from, to).toSeconds();
        // About 60-120 points whatever the range.
        long[] steps = {60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400};
        bucket = steps[steps.length - 1];
        for (long s : steps) {
          if (span / s <= 120) {
            bucket = s;
            break;
          }
        }
      }
    } else if (b.matches("^[0-9]{1,6}[mhd]$")) {
      long n = Long.parseLong(b.substring(0, b.length() - 1));
      bucket = n * switch (b.charAt(b.length() - 1)) {
        case 'm' -> 60;
        case 'h' -> 3600;
        default -> 86400;
      };
      if (bucket < 60 || (bucket >= 3600 && bucket % 3600 != 0) || bucket > 30 * 86400) {
        errors.add(new FieldError("bucket", "must be whole minutes under an hour, whole hours above, at most 30d"));
      }
    } else {
      errors.add(new FieldError("bucket", "must be auto or a size such as 1m, 15m, 1h, 1d"));
    }
    if (from != null && to != null && bucket > 0 && Duration.between(from, to).toSeconds() / bucket > 2000) {
      errors.add(new FieldError("bucket", "gives more than 2000 points for this range; use a larger one"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    return new Query(from, to, bucket, LogQuery.blank(param.apply("site")), LogQuery.blank(param.apply("route")));
  }

  public static Future<JsonObject> stats(SqlClient pool, Query q) {
    String grain = String.valueOf(q.grain());
    OffsetDateTime from = OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC);
    OffsetDateTime to = OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC);
    String t = "to_timestamp(floor(extract(epoch FROM bucket) / $4::bigint) * $4::bigint)";
    String dims = (q.site() != null ? " AND site = $5" : " AND $5::text IS NULL")
        + (q.route() != null ? " AND route = $6" : " AND $6::text IS NULL");
    Tuple args = Tuple.of(grain, from, to, q.bucketSeconds(), q.site(), q.route());
    String series = "SELECT " + t + " AS t, sum(requests) AS requests, "
        + "sum(requests) FILTER (WHERE status >= 500) AS errors, "
        + "sum(requests) FILTER (WHERE status >= 400 AND status < 500) AS client_errors, "
        + "sum(request_bytes) AS bytes_in, sum(response_bytes) AS bytes_out, sum(duration_us) AS duration "
        + "FROM access_log_rollup WHERE grain = $1 AND bucket >= $2 AND bucket < $3" + dims + " GROUP BY 1 ORDER BY 1";
    String percentiles = "WITH h AS (SELECT " + t + " AS t, lb, sum(requests) AS n FROM access_log_latency "
        + "WHERE grain = $1 AND bucket >= $2 AND bucket < $3" + dims + " GROUP BY 1, 2), "
        + "c AS (SELECT t, lb, sum(n) OVER (PARTITION BY t ORDER BY lb) AS cum, sum(n) OVER (PARTITION BY t) AS tot FROM h) "
        + "SELECT t, min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.5 * tot) AS p50, "
        + "min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.95 * tot) AS p95, "
        + "min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.99 * tot) AS p99 FROM c GROUP BY t";
    String overall = "WITH h AS (SELECT lb, sum(requests) AS n FROM access_log_latency "
        + "WHERE grain = $1 AND bucket >= $2 AND bucket < $3 AND $4::bigint > 0" + dims + " GROUP BY 1), "
        + "c AS (SELECT lb, sum(n) OVER (ORDER BY lb) AS cum, sum(n) OVER () AS tot FROM h) "
        + "SELECT min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.5 * tot) AS p50, "
        + "min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.95 * tot) AS p95, "
        + "min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.99 * tot) AS p99 FROM c";
    String codes = "SELECT status, sum(requests) AS n FROM access_log_rollup WHERE grain = $1 AND bucket >= $2 "
        + "AND bucket < $3 AND $4::bigint > 0" + dims + " GROUP BY 1 ORDER BY 2 DESC";
    Tuple topArgs = Tuple.of(from, to, q.site());
    String topPaths = "SELECT path, sum(requests) AS n, sum(errors) AS e FROM access_log_top_paths "
        + "WHERE bucket >= date_trunc('hour', $1::timestamptz) AND bucket < $2"
        + (q.site() != null ? " AND site = $3" : " AND $3::text IS NULL") + " GROUP BY 1 ORDER BY 2 DESC LIMIT 10";
    String topClients = "SELECT CASE WHEN masklen(client_ip) = 0 THEN '" + TopLists.OTHER + "' ELSE host(client_ip) END AS ip, sum(requests) AS n, sum(errors) AS e FROM access_log_top_clients "
        + "WHERE bucket >= date_trunc('hour', $1::timestamptz) AND bucket < $2"
        + (q.site() != null ? " AND site = $3" : " AND $3::text IS NULL") + " GROUP BY 1 ORDER BY 2 DESC LIMIT 10";

    Future<List<Row>> s = rows(pool, series, args);
    Future<List<Row>> p = rows(pool, percentiles, args);
    Future<List<Row>> o = rows(pool, overall, args);
    Future<List<Row>> c = rows(pool, codes, args);
    Future<List<Row>> tp = rows(pool, topPaths, topArgs);
    Future<List<Row>> tc = rows(pool, topClients, topArgs);
    return Future.all(List.of(s, p, o, c, tp, tc)).map(all -> {
      Map<Long, Row> pct = new LinkedHashMap<>();
      for (Row r : p.result()) {
        pct.put(r.getOffsetDateTime("t").toEpochSecond(), r);
      }
      Map<Long, JsonObject> byStart = new LinkedHashMap<>();
      long requests = 0;
      long errors = 0;
      long clientErrors = 0;
      long bytesIn = 0;
      long bytesOut = 0;
      long duration = 0;
      for (Row r : s.result()) {
        long n = num(r, "requests");
        long e = num(r, "errors");
        long ce = num(r, "client_errors");
        long start = r.getOffsetDateTime("t").toEpochSecond();
        byStart.put(start, figures(n, e, ce, num(r, "bytes_in"), num(r, "bytes_out"), num(r, "duration"),
            pct.get(start)));
        requests += n;
        errors += e;
        clientErrors += ce;
        bytesIn += num(r, "bytes_in");
        bytesOut += num(r, "bytes_out");
        duration += num(r, "duration");
      }
      JsonArray buckets = everyBucket(q, byStart);
      Row overallRow = o.result().isEmpty() ? null : o.result().get(0);
      JsonArray statusCodes = new JsonArray();
      c.result().forEach(r -> statusCodes.add(new JsonObject().put("status", r.getShort("status").intValue())
          .put("requests", num(r, "n"))));
      JsonArray paths = new JsonArray();
      tp.result().forEach(r -> paths.add(new JsonObject().put("path", r.getString("path")).put("requests", num(r, "n"))
          .put("errors", num(r, "e"))));
      JsonArray clients = new JsonArray();
      tc.result().forEach(r -> clients.add(new JsonObject().put("clientIp", r.getString("ip"))
          .put("requests", num(r, "n")).put("errors", num(r, "e"))));
      return new JsonObject().put("from", q.from().toString()).put("to", q.to().toString())
          .put("bucketSeconds", q.bucketSeconds()).put("grain", q.grain() == 'm' ? "minute" : "hour")
          .put("buckets", buckets)
          .put("totals", figures(requests, errors, clientErrors, bytesIn, bytesOut, duration, overallRow))
          .put("statusCodes", statusCodes).put("topPaths", paths).put("topClients", clients);
    });
  }

  /**
   * @return one bucket for every step of the range, oldest first: those without traffic as zeros
   *     (percentiles null), so a chart has no gaps
   */
  static JsonArray everyBucket(Query q, Map<Long, JsonObject> byStart) {
    JsonArray out = new JsonArray();
    long step = q.bucketSeconds();
    long first = Math.floorDiv(q.from().getEpochSecond(), step) * step;
    // Up to now: a range that reaches into the future (the default "to" is a minute ahead) has no
    // traffic there yet, and a chart ending in zeros would read as an outage.
    Instant until = q.to().isAfter(Instant.now()) ? Instant.now() : q.to();
    long end = until.getEpochSecond() + (until.getNano() > 0 ? 1 : 0);
    for (long t = first; t < end; t += step) {
      JsonObject b = byStart.get(t);
      out.add((b != null ? b : figures(0, 0, 0, 0, 0, 0, null)).put("t", Instant.ofEpochSecond(t).toString()));
    }
    return out;
  }

  private static JsonObject figures(long n, long errors, long clientErrors, long in, long out, long durationUs, Row pct) {
    return new JsonObject().put("requests", n).put("errors", errors).put("clientErrors", clientErrors)
        .put("errorRate", n == 0 ? 0.0 : (double) errors / n).put("bytesIn", in).put("bytesOut", out)
        .put("avgMs", n == 0 ? 0.0 : durationUs / 1000.0 / n)
        .put("p50Ms", ms(pct, "p50")).put("p95Ms", ms(pct, "p95")).put("p99Ms", ms(pct, "p99"));
  }

  private static Double ms(Row r, String col) {
    if (r == null || r.getValue(col) == null) {
      return null;
    }
    return Math.round(r.getDouble(col) / 10.0) / 100.0;
  }

  private static long num(Row r, String col) {
    Object v = r.getValue(col);
    return v == null ? 0 : ((Number) v).longValue();
  }

  private static Future<List<Row>> rows(SqlClient pool, String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rs -> {
      List<Row> out = new ArrayList<>();
      rs.forEach(out::add);
      return out;
    });
  }
}
