package io.frontdesk.config;

import io.vertx.core.json.JsonObject;

/**
 * A circuit breaker per target: after {@code failureThreshold} failures in a row the circuit opens
 * (no traffic) for {@code openMs}, then half-opens: {@code halfOpenProbes} requests probe it; a
 * success closes it, a failure opens it again. Off by default.
 */
public record CircuitBreakerPolicy(boolean enabled, int failureThreshold, int openMs, int halfOpenProbes) {

  public static CircuitBreakerPolicy fromJson(JsonObject j) {
    JsonObject o = j == null ? new JsonObject() : j;
    return new CircuitBreakerPolicy(o.getBoolean("enabled", false), o.getInteger("failureThreshold", 5),
        o.getInteger("openMs", 10_000), o.getInteger("halfOpenProbes", 1));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("failureThreshold", failureThreshold).put("openMs", openMs)
        .put("halfOpenProbes", halfOpenProbes);
  }
}
