package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A named pool of targets and how to talk to them.
 *
 * @param algorithm the balancing algorithm (a LoadBalancer plugin's name); default
 *     {@value #DEFAULT_ALGORITHM}
 * @param algorithmConfig the algorithm's options, validated against its schema
 * @param connectTimeoutMs time to establish a TCP connection before the target counts as failed
 *     (default 3 s)
 * @param readTimeoutMs longest wait for the next byte of the response once the request is sent
 *     (default 60 s; a timeout before the response head answers 504)
 * @param maxConnectionsPerTarget most requests in flight to one target from one node (0 =
 *     unlimited); a target at its limit is skipped, and 503 is answered when all are
 * @param activeHealth probes on a timer; {@code null} = off (the default)
 * @param passiveHealth outlier detection from live traffic (on by default)
 * @param slowStartMs a target that becomes healthy again ramps its weight up over this time (0 = off)
 * @param retries what is retried on another target
 * @param circuitBreaker per-target circuit breaker (off by default)
 */
public record Upstream(
    String id,
    String name,
    List<Target> targets,
    String algorithm,
    JsonObject algorithmConfig,
    int connectTimeoutMs,
    int readTimeoutMs,
    int maxConnectionsPerTarget,
    ActiveHealthCheck activeHealth,
    PassiveHealth passiveHealth,
    int slowStartMs,
    RetryPolicy retries,
    CircuitBreakerPolicy circuitBreaker) {

  public static final String DEFAULT_ALGORITHM = "weighted-round-robin";

  public Upstream {
    targets = List.copyOf(targets);
    algorithmConfig = algorithmConfig == null ? new JsonObject() : algorithmConfig.copy();
  }

  public static Upstream fromJson(String id, String name, JsonObject json) {
    List<Target> targets = json.getJsonArray("targets", new JsonArray()).stream()
        .map(t -> Target.fromJson((JsonObject) t))
        .toList();
    JsonObject health = json.getJsonObject("healthCheck", new JsonObject());
    return new Upstream(id, name, targets,
        json.getString("algorithm", DEFAULT_ALGORITHM),
        json.getJsonObject("algorithmConfig", new JsonObject()),
        json.getInteger("connectTimeoutMs", 3_000),
        json.getInteger("readTimeoutMs", 60_000),
        json.getInteger("maxConnectionsPerTarget", 0),
        ActiveHealthCheck.fromJson(health.getJsonObject("active")),
        PassiveHealth.fromJson(health.getJsonObject("passive")),
        health.getInteger("slowStartMs", 0),
        RetryPolicy.fromJson(json.getJsonObject("retries")),
        CircuitBreakerPolicy.fromJson(json.getJsonObject("circuitBreaker")));
  }

  /** @return the effective limit of in-flight requests for {@code t}; 0 = unlimited */
  public int limitFor(Target t) {
    return t.maxConnections() > 0 ? t.maxConnections() : maxConnectionsPerTarget;
  }

  public JsonObject spec() {
    return new JsonObject()
        .put("targets", new JsonArray(targets.stream().map(Target::toJson).toList()))
        .put("algorithm", algorithm)
        .put("algorithmConfig", algorithmConfig.copy())
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("readTimeoutMs", readTimeoutMs)
        .put("maxConnectionsPerTarget", maxConnectionsPerTarget)
        .put("healthCheck", new JsonObject()
            .put("active", activeHealth == null ? null : activeHealth.toJson())
            .put("passive", passiveHealth.toJson())
            .put("slowStartMs", slowStartMs))
        .put("retries", retries.toJson())
        .put("circuitBreaker", circuitBreaker.toJson());
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).mergeIn(spec());
  }
}
