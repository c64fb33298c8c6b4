package io.frontdesk.api.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON form of an {@link AccessLogRecord} that log shippers send. */
final class AccessLogJson {

  private AccessLogJson() {}

  static JsonObject of(AccessLogRecord r) {
    JsonObject j = new JsonObject().put("timestamp", r.timestamp().toString());
    put(j, "node", r.node());
    put(j, "requestId", r.requestId());
    put(j, "site", r.site());
    put(j, "route", r.route());
    put(j, "upstream", r.upstream());
    put(j, "target", r.target());
    put(j, "method", r.method());
    put(j, "scheme", r.scheme());
    put(j, "protocol", r.protocol());
    put(j, "host", r.host());
    put(j, "path", r.path());
    put(j, "query", r.query());
    j.put("status", r.status()).put("requestBytes", r.requestBytes()).put("responseBytes", r.responseBytes())
        .put("durationMicros", r.durationMicros());
    if (r.upstreamMicros() >= 0) {
      j.put("upstreamMicros", r.upstreamMicros());
    }
    put(j, "clientIp", r.clientIp());
    put(j, "userAgent", r.userAgent());
    put(j, "referer", r.referer());
    put(j, "tlsVersion", r.tlsVersion());
    j.put("retries", r.retries());
    put(j, "details", r.details());
    if (!r.filters().isEmpty()) {
      JsonArray f = new JsonArray();
      for (FilterTiming t : r.filters()) {
        f.add(new JsonObject().put("plugin", t.plugin()).put("requestMicros", t.requestMicros())
            .put("responseMicros", t.responseMicros()).put("outcome", t.outcome()));
      }
      j.put("filters", f);
    }
    if (!r.attributes().isEmpty()) {
      JsonObject a = new JsonObject();
      r.attributes().forEach(a::put);
      j.put("attributes", a);
    }
    return j;
  }

  private static void put(JsonObject j, String key, String value) {
    if (value != null) {
      j.put(key, value);
    }
  }
}
