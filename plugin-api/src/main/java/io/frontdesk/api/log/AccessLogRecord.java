package io.frontdesk.api.log;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The immutable record of one finished exchange: what the access log stores and log sinks ship.
 *
 * @param timestamp when the request head arrived
 * @param node the id of the proxy node that served it
 * @param requestId the request id ({@code X-Request-Id})
 * @param site site name, or {@code null} when no site matched
 * @param route route name, or {@code null}
 * @param upstream upstream name, or {@code null}
 * @param target the chosen target {@code host:port}, or {@code null} when none was contacted
 * @param method the request method
 * @param scheme {@code http} or {@code https}
 * @param protocol {@code HTTP/1.1}, {@code HTTP/2}, …
 * @param host the requested host
 * @param path the path as received (normalised)
 * @param query the query string after redaction, or {@code null}
 * @param status the status sent to the client; 499 when the client left first
 * @param requestBytes request body bytes received
 * @param responseBytes response body bytes sent
 * @param durationMicros from request head to the end of the response, µs
 * @param upstreamMicros from sending upstream to the end of the upstream response, µs; -1 if none
 * @param clientIp the client address (trusted-proxy aware)
 * @param userAgent {@code User-Agent}, or {@code null}
 * @param referer {@code Referer}, or {@code null}
 * @param tlsVersion the TLS protocol, or {@code null} for plaintext
 * @param retries how many times the request was retried on another target
 * @param details why Frontdesk answered by itself (no route, upstream down, a filter's reason), or
 *     {@code null}
 * @param filters time and outcome of each filter, in chain order
 * @param attributes the logged attributes filters set
 */
public record AccessLogRecord(
    Instant timestamp,
    String node,
    String requestId,
    String site,
    String route,
    String upstream,
    String target,
    String method,
    String scheme,
    String protocol,
    String host,
    String path,
    String query,
    int status,
    long requestBytes,
    long responseBytes,
    long durationMicros,
    long upstreamMicros,
    String clientIp,
    String userAgent,
    String referer,
    String tlsVersion,
    int retries,
    String details,
    List<FilterTiming> filters,
    Map<String, String> attributes) {

  public AccessLogRecord {
    filters = filters == null ? List.of() : List.copyOf(filters);
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(attributes));
  }

  /**
   * @return the record as JSON with camelCase field names, absent values omitted, and {@code
   *     timestamp} in ISO-8601 — the form log shippers send
   */
  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("timestamp", timestamp.toString());
    put(j, "node", node);
    put(j, "requestId", requestId);
    put(j, "site", site);
    put(j, "route", route);
    put(j, "upstream", upstream);
    put(j, "target", target);
    put(j, "method", method);
    put(j, "scheme", scheme);
    put(j, "protocol", protocol);
    put(j, "host", host);
    put(j, "path", path);
    put(j, "query", query);
    j.put("status", status).put("requestBytes", requestBytes).put("responseBytes", responseBytes)
        .put("durationMicros", durationMicros);
    if (upstreamMicros >= 0) {
      j.put("upstreamMicros", upstreamMicros);
    }
    put(j, "clientIp", clientIp);
    put(j, "userAgent", userAgent);
    put(j, "referer", referer);
    put(j, "tlsVersion", tlsVersion);
    j.put("retries", retries);
    put(j, "details", details);
    if (!filters.isEmpty()) {
      JsonArray f = new JsonArray();
      for (FilterTiming t : filters) {
        f.add(new JsonObject().put("plugin", t.plugin()).put("requestMicros", t.requestMicros())
            .put("responseMicros", t.responseMicros()).put("outcome", t.outcome()));
      }
      j.put("filters", f);
    }
    if (!attributes.isEmpty()) {
      JsonObject a = new JsonObject();
      attributes.forEach(a::put);
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
