package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An access-log record with its node-local sequence number: (timestamp, node, seq) identifies the
 * row, so writing it twice (a replayed spool) stores it once. The record is made storable on the
 * way in ({@link StorableRecord}), so a row PostgreSQL refuses cannot be built by the proxy,
 * a plugin's attributes or an old spool.
 */
public record LogRow(long seq, AccessLogRecord record) {

  public LogRow {
    record = StorableRecord.of(record);
  }

  /** One line of the spool file. */
  public String toSpoolLine() {
    return record.toJson().put("seq", seq).encode();
  }

  /** @throws RuntimeException for a line that is not a spooled row */
  public static LogRow fromSpoolLine(String line) {
    JsonObject j = new JsonObject(line);
    List<FilterTiming> filters = new ArrayList<>();
    for (Object o : j.getJsonArray("filters", new JsonArray())) {
      JsonObject f = (JsonObject) o;
      filters.add(new FilterTiming(f.getString("plugin"), f.getLong("requestMicros", 0L),
          f.getLong("responseMicros", 0L), f.getString("outcome")));
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    AccessLogRecord r = AccessLogRecord.builder()
        .timestamp(j.containsKey("timestamp") ? Instant.parse(j.getString("timestamp")) : null)
        .node(j.getString("node")).requestId(j.getString("requestId")).site(j.getString("site"))
        .route(j.getString("route")).upstream(j.getString("upstream")).target(j.getString("target"))
        .method(j.getString("method")).scheme(j.getString("scheme")).protocol(j.getString("protocol"))
        .host(j.getString("host")).path(j.getString("path")).query(j.getString("query"))
        .status(j.getInteger("status", 0)).requestBytes(j.getLong("requestBytes", 0L))
        .responseBytes(j.getLong("responseBytes", 0L)).durationMicros(j.getLong("durationMicros", 0L))
        .upstreamMicros(j.getLong("upstreamMicros", -1L)).clientIp(j.getString("clientIp"))
        .userAgent(j.getString("userAgent")).referer(j.getString("referer"))
        .tlsVersion(j.getString("tlsVersion")).retries(j.getInteger("retries", 0))
        .details(j.getString("details")).filters(filters).attributes(attrs).build();
    return new LogRow(j.getLong("seq"), r);
  }
}
