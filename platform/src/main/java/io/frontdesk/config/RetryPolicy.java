package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * When a failed attempt is tried again on another target.
 *
 * @param attempts retries per request (default 1; 0 = off)
 * @param retryOn what is retried: {@code connect-failure} (any method: the target never got the
 *     request), {@code reset} (closed before answering; idempotent methods), {@code timeout}
 *     (idempotent), {@code 502}, {@code 503}, {@code 504} (idempotent). Default: connect-failure, reset
 * @param budgetPercent over the last ten seconds, retries may be at most this share of the requests
 *     to the upstream (default 20), so retries cannot multiply an outage
 * @param minRetriesPerSecond retries allowed per second on top of the share (default 10)
 * @param maxBodyBytes request bodies up to this size are kept to be replayed (default 64 KiB); a
 *     larger body, once sent, is never retried
 */
public record RetryPolicy(int attempts, Set<String> retryOn, int budgetPercent, int minRetriesPerSecond, int maxBodyBytes) {

  public static final List<String> KINDS = List.of("connect-failure", "reset", "timeout", "502", "503", "504");

  public RetryPolicy {
    retryOn = Set.copyOf(retryOn);
  }

  public static RetryPolicy fromJson(JsonObject j) {
    JsonObject o = j == null ? new JsonObject() : j;
    Set<String> on = Set.copyOf(o.getJsonArray("retryOn", new JsonArray().add("connect-failure").add("reset"))
        .stream().map(String::valueOf).toList());
    return new RetryPolicy(o.getInteger("attempts", 1), on, o.getInteger("budgetPercent", 20),
        o.getInteger("minRetriesPerSecond", 10), o.getInteger("maxBodyBytes", 64 * 1024));
  }

  public boolean on(String kind) {
    return retryOn.contains(kind);
  }

  public JsonObject toJson() {
    return new JsonObject().put("attempts", attempts)
        .put("retryOn", new JsonArray(KINDS.stream().filter(retryOn::contains).toList()))
        .put("budgetPercent", budgetPercent).put("minRetriesPerSecond", minRetriesPerSecond)
        .put("maxBodyBytes", maxBodyBytes);
  }
}
