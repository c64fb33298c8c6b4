package io.frontdesk.config;

import io.vertx.core.json.JsonObject;

/**
 * Outlier detection from live traffic: a target that fails is ejected (gets no traffic) for a
 * while, longer each time. On by default.
 *
 * @param consecutiveFailures 5xx answers in a row that eject (default 5)
 * @param consecutiveGatewayFailures connect failures, resets or timeouts in a row that eject (default 3)
 * @param errorRatePercent error share over the window that ejects (default 50; 0 = off)
 * @param windowMs the window for the error share (default 10 s)
 * @param minRequests fewest requests in the window before the share counts (default 20)
 * @param baseEjectionMs first ejection; the n-th lasts n times as long (default 10 s)
 * @param maxEjectionMs longest ejection (default 5 min)
 * @param maxEjectionPercent most of a pool ejected at once (default 50); the last healthy target is
 *     never ejected (logged and counted instead)
 */
public record PassiveHealth(
    boolean enabled, int consecutiveFailures, int consecutiveGatewayFailures, int errorRatePercent, int windowMs,
    int minRequests, int baseEjectionMs, int maxEjectionMs, int maxEjectionPercent) {

  public static PassiveHealth fromJson(JsonObject j) {
    JsonObject o = j == null ? new JsonObject() : j;
    return new PassiveHealth(o.getBoolean("enabled", true), o.getInteger("consecutiveFailures", 5),
        o.getInteger("consecutiveGatewayFailures", 3), o.getInteger("errorRatePercent", 50),
        o.getInteger("windowMs", 10_000), o.getInteger("minRequests", 20), o.getInteger("baseEjectionMs", 10_000),
        o.getInteger("maxEjectionMs", 300_000), o.getInteger("maxEjectionPercent", 50));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("consecutiveFailures", consecutiveFailures)
        .put("consecutiveGatewayFailures", consecutiveGatewayFailures).put("errorRatePercent", errorRatePercent)
        .put("windowMs", windowMs).put("minRequests", minRequests).put("baseEjectionMs", baseEjectionMs)
        .put("maxEjectionMs", maxEjectionMs).put("maxEjectionPercent", maxEjectionPercent);
  }
}
