package io.frontdesk.accesslog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Requests, 5xx answers and the p99 latency of every site over a recent window, from the rollups
 * (every node's traffic): the overview's figures. Minute rollups for windows they still cover
 * (7 days), hour rollups beyond; the window starts at the whole minute (hour) it falls in.
 */
public final class TrafficTotals {

  /** Minute rollups are kept this long (the writer's retention). */
  static final Duration MINUTES_KEPT = Duration.ofDays(7);

  private static final String COUNTS = "SELECT coalesce(sum(requests), 0)::bigint AS n, "
      + "coalesce(sum(requests) FILTER (WHERE status >= 500), 0)::bigint AS e "
      + "FROM access_log_rollup WHERE grain = $1 AND bucket >= $2 AND bucket < $3";
  private static final String P99 = "WITH h AS (SELECT lb, sum(requests) AS n FROM access_log_latency "
      + "WHERE grain = $1 AND bucket >= $2 AND bucket < $3 GROUP BY 1), "
      + "c AS (SELECT lb, sum(n) OVER (ORDER BY lb) AS cum, sum(n) OVER () AS tot FROM h) "
      + "SELECT min(access_log_bucket_upper_us(lb)) FILTER (WHERE cum >= 0.99 * tot) AS p99 FROM c";

  private TrafficTotals() {
  }

  /** @return {@code {requests, errors5xx, errorRate, p99Micros (null without traffic)}} over the window up to now */
  public static Future<JsonObject> last(SqlClient pool, Duration window) {
    Instant now = Instant.now();
    boolean minutes = window.compareTo(MINUTES_KEPT) < 0;
    Instant from = now.minus(window).truncatedTo(minutes ? ChronoUnit.MINUTES : ChronoUnit.HOURS);
    Tuple args = Tuple.of(minutes ? "m" : "h", OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(now.plusSeconds(60), ZoneOffset.UTC));
    Future<Row> counts = pool.preparedQuery(COUNTS).execute(args).map(rs -> rs.iterator().next());
    Future<Row> p99 = pool.preparedQuery(P99).execute(args).map(rs -> rs.iterator().next());
    return Future.all(counts, p99).map(all -> {
      long n = counts.result().getLong("n");
      long e = counts.result().getLong("e");
      Double p = p99.result().getDouble("p99");
      return new JsonObject().put("requests", n).put("errors5xx", e).put("errorRate", n == 0 ? 0.0 : (double) e / n)
          .put("p99Micros", p == null ? null : Math.round(p));
    });
  }
}
