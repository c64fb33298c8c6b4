package io.frontdesk.accesslog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What each plugin costs per request, from the filter timings the access log keeps for every
 * request (all nodes): average and p95 of its request + response time, how often it ran and how
 * often it did not simply continue (answered, failed, skipped). Reads the newest 200,000 requests
 * of the range at most, so the answer stays quick on a busy day.
 */
public final class PluginCost {

  static final int SAMPLE = 200_000;
  private static final String SQL = """
      WITH r AS (SELECT filters FROM access_log WHERE ts >= $1 AND ts < $2 ORDER BY ts DESC LIMIT %d)
      SELECT f->>0 AS plugin, count(*) AS calls,
             avg((f->>1)::bigint + (f->>2)::bigint) AS avg_us,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY (f->>1)::bigint + (f->>2)::bigint) AS p95_us,
             count(*) FILTER (WHERE json_array_length(f) > 3 AND f->>3 IS DISTINCT FROM 'continue') AS not_continued,
             (SELECT count(*) FROM r) AS requests
      FROM r, json_array_elements(r.filters) f
      WHERE r.filters IS NOT NULL
      GROUP BY 1 ORDER BY avg_us DESC
      """.formatted(SAMPLE);

  private PluginCost() {
  }

  /** @throws io.frontdesk.validation.InvalidConfigException for a bad {@code from} or {@code to} */
  public static LogQuery.Range parse(java.util.function.Function<String, String> param, int retentionDays) {
    java.util.List<io.frontdesk.validation.FieldError> errors = new java.util.ArrayList<>();
    Instant now = Instant.now();
    LogQuery.Range r = LogQuery.range(param, now, now.minus(java.time.Duration.ofHours(1)), retentionDays, errors);
    if (!errors.isEmpty()) {
      throw new io.frontdesk.validation.InvalidConfigException(errors);
    }
    return r;
  }

  public static Future<JsonObject> query(SqlClient pool, Instant from, Instant to) {
    return pool.preparedQuery(SQL).execute(Tuple.of(OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(to, ZoneOffset.UTC))).map(rs -> {
          JsonArray items = new JsonArray();
          long requests = 0;
          for (Row r : rs) {
            requests = r.getLong("requests");
            items.add(new JsonObject().put("plugin", r.getString("plugin")).put("calls", r.getLong("calls"))
                .put("avgMicros", Math.round(r.getNumeric("avg_us").doubleValue()))
                .put("p95Micros", Math.round(r.getDouble("p95_us")))
                .put("notContinued", r.getLong("not_continued")));
          }
          return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("requests", requests)
              .put("items", items);
        });
  }
}
