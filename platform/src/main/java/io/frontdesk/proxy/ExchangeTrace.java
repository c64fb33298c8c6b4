package io.frontdesk.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The step-by-step record of one exchange that asked to be traced (by the dashboard's request
 * tracer): route match, each filter's decision and time, the chosen target, the response. Built by
 * the proxy itself as the exchange runs.
 */
final class ExchangeTrace {

  private final String token;
  private final long t0 = System.nanoTime();
  private final JsonArray steps = new JsonArray();
  private final TraceRegistry registry;
  /** The logged attributes as the filter being called found them. */
  private Map<String, String> before = Map.of();

  ExchangeTrace(String token, TraceRegistry registry) {
    this.token = token;
    this.registry = registry;
  }

  private JsonObject step(String kind) {
    JsonObject s = new JsonObject().put("kind", kind).put("atMicros", (System.nanoTime() - t0) / 1000);
    steps.add(s);
    return s;
  }

  void matched(String site, String route, String upstream, String forwardPath) {
    step("route").put("site", site).put("route", route).put("upstream", upstream).put("forwardPath", forwardPath);
  }

  /** A filter is about to be called: what it finds set is not its own doing. */
  void filterStarts(AttributeMap attributes) {
    before = attributes == null ? Map.of() : attributes.logged();
  }

  /** @param attributes the exchange's attributes now: the step shows those this filter set or changed */
  void filter(String plugin, String phase, String outcome, long nanos, AttributeMap attributes) {
    JsonObject s = step("filter").put("plugin", plugin).put("phase", phase).put("outcome", outcome)
        .put("micros", nanos / 1000);
    if (attributes != null) {
      JsonObject a = new JsonObject();
      attributes.logged().forEach((k, v) -> {
        if (!v.equals(before.get(k))) {
          a.put(k, v);
        }
      });
      s.put("attributes", a);
    }
  }

  void upstream(String upstream, String target, int retry) {
    step("upstream").put("upstream", upstream).put("target", target).put("attempt", retry + 1);
  }

  void retry(String failedTarget, String what) {
    step("retry").put("failedTarget", failedTarget).put("what", what);
  }

  void response(int status, HttpHeaders headers) {
    JsonObject h = new JsonObject();
    for (Map.Entry<String, String> e : headers) {
      h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue());
    }
    step("response").put("status", status).put("headers", h);
  }

  void done(ExchangeRecord ex) {
    JsonObject summary = new JsonObject()
        .put("requestId", ex.requestId())
        .put("status", ex.status())
        .put("durationMicros", ex.durationNanos() / 1000)
        .put("details", ex.details())
        .put("record", ex.toRecord().toJson());
    registry.completed(token, summary.put("steps", steps));
  }
}
