package io.frontdesk.upstream;

import io.frontdesk.config.ActiveHealthCheck;
import io.frontdesk.config.CircuitBreakerPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One target's health in a word, for people: {@code unknown} (active checks have not judged it
 * yet), {@code healthy}, {@code unhealthy} (active checks), {@code ejected} (passive detection),
 * {@code circuit-open}, {@code circuit-half-open} or {@code slow-start}, with the reason and since
 * when. Only a report: routing reads the parts themselves ({@link TargetState#available}), and an
 * unknown target takes traffic as Envoy's hosts do before their first check.
 *
 * @param state the word
 * @param reason why, in words ({@code GET /health failed: Connection refused}); {@code null} when
 *     there is nothing to say
 * @param since when the target entered this state, where known
 */
public record TargetStatus(String state, String reason, Instant since) {

  public static final String UNKNOWN = "unknown";
  public static final String HEALTHY = "healthy";
  public static final String UNHEALTHY = "unhealthy";
  public static final String EJECTED = "ejected";
  public static final String CIRCUIT_OPEN = "circuit-open";
  public static final String CIRCUIT_HALF_OPEN = "circuit-half-open";
  public static final String SLOW_START = "slow-start";

  /** @return whether the target is out of service (unhealthy, ejected or its circuit open) */
  public boolean down() {
    return state.equals(UNHEALTHY) || state.equals(EJECTED) || state.equals(CIRCUIT_OPEN);
  }

  public JsonObject toJson() {
    return new JsonObject().put("state", state).put("reason", reason).put("since", since == null ? null
        : since.toString());
  }

  static TargetStatus of(TargetState t, long now, ActiveHealthCheck active, CircuitBreakerPolicy cb, int slowStartMs) {
    TargetState.Verdict verdict = t.verdict();
    String lastCheck = t.lastCheck();
    if (active != null && verdict == TargetState.Verdict.UNHEALTHY) {
      return new TargetStatus(UNHEALTHY, lastCheck, at(t.verdictSinceMillis()));
    }
    Ejection ejection = t.ejection();
    if (ejection.isOut(now)) {
      return new TargetStatus(EJECTED, "ejected after " + ejection.reason() + " (back in "
          + seconds(ejection.remainingMillis(now)) + ")", at(ejection.ejectedAtMillis()));
    }
    CircuitBreaker circuit = t.circuit();
    if (cb.enabled() && circuit.state() == CircuitBreaker.State.OPEN) {
      long left = circuit.openRemainingMillis(now, cb);
      return left > 0
          ? new TargetStatus(CIRCUIT_OPEN, t.circuitReason() + " (probes in " + seconds(left) + ")",
              at(circuit.changedAtMillis()))
          : new TargetStatus(CIRCUIT_HALF_OPEN, "the next request probes it", at(circuit.changedAtMillis()));
    }
    if (cb.enabled() && circuit.state() == CircuitBreaker.State.HALF_OPEN) {
      return new TargetStatus(CIRCUIT_HALF_OPEN, "probing with " + cb.halfOpenProbes()
          + " request(s); a success closes the circuit", at(circuit.changedAtMillis()));
    }
    if (active != null && verdict == TargetState.Verdict.UNKNOWN) {
      String why = lastCheck == null ? "waiting for the first active check (every " + active.intervalMs() + " ms)"
          : "last check: " + lastCheck + " (" + t.checkFailures() + " of " + active.unhealthyThreshold()
              + " failed checks in a row make it unhealthy)";
      return new TargetStatus(UNKNOWN, why, at(t.verdictSinceMillis()));
    }
    double share = t.slowStart().ramping(now, slowStartMs);
    if (share >= 0) {
      return new TargetStatus(SLOW_START, "back in service, taking " + Math.round(share * 100)
          + "% of its weight", at(t.slowStart().sinceMillis()));
    }
    String reason = active != null && t.checkFailures() > 0 ? "last check failed (" + t.checkFailures() + " of "
        + active.unhealthyThreshold() + " make it unhealthy): " + lastCheck : null;
    long since = Math.max(Math.max(t.verdictSinceMillis(), ejection.ejectedAtMillis()),
        Math.max(circuit.changedAtMillis(), t.slowStart().sinceMillis()));
    return new TargetStatus(HEALTHY, reason, at(since));
  }

  private static Instant at(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  private static String seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000) + " s";
  }
}
