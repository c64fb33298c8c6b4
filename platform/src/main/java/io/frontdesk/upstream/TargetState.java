package io.frontdesk.upstream;

import io.frontdesk.config.ActiveHealthCheck;
import io.frontdesk.config.CircuitBreakerPolicy;
import io.frontdesk.config.PassiveHealth;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one target on this node, made of its parts — {@link TargetLoad}, the active
 * check verdict, {@link Ejection}, {@link CircuitBreaker} and {@link SlowStart} — and the rules that
 * join them (an ejection that ends or a circuit that closes starts slow start; passing active checks
 * lifts an ejection; the pool decides whether it can spare a target). Kept by address in its
 * {@link UpstreamState}, so it survives configuration changes. Updated from every event loop and the
 * health checker; state changes are logged with the reason.
 */
public final class TargetState {

  private static final Logger log = LoggerFactory.getLogger(TargetState.class);

  /** Active check verdicts. */
  public enum Verdict {
    UNKNOWN, HEALTHY, UNHEALTHY
  }

  private final UpstreamState upstream;
  private final String address;
  private final TargetLoad load = new TargetLoad();
  private final Ejection ejection = new Ejection();
  private final CircuitBreaker circuit = new CircuitBreaker();
  private final SlowStart slowStart = new SlowStart();

  // Active checks (written by the checker's context only).
  private volatile Verdict verdict = Verdict.UNKNOWN;
  private int checkSuccesses;
  private volatile int checkFailures;
  private volatile long lastCheckMillis;
  private volatile String lastCheck;
  private volatile long verdictSinceMillis = System.currentTimeMillis();
  /** Why the circuit last opened (for the API). */
  private volatile String circuitReason;

  TargetState(UpstreamState upstream, String address) {
    this.upstream = upstream;
    this.address = address;
  }

  public String address() {
    return address;
  }

  public int outstanding() {
    return load.outstanding();
  }

  public long requests() {
    return load.requests();
  }

  public long failures() {
    return load.failures();
  }

  /** @return the decayed latency in µs, with peaks taken at once (0 until measured) */
  public double latencyEwmaMicros() {
    return load.latencyEwmaMicros();
  }

  public Verdict verdict() {
    return verdict;
  }

  // ---------------------------------------------------------------------------------------------
  // Availability (hot path).

  /**
   * @return whether the target may get traffic now: not unhealthy by active checks, not ejected,
   *     and its circuit closed or half-open with a probe slot free
   */
  public boolean available(long now, boolean activeChecks, CircuitBreakerPolicy cb) {
    if (activeChecks && verdict == Verdict.UNHEALTHY) {
      return false;
    }
    if (ejection.recorded()) {
      if (ejection.isOut(now)) {
        return false;
      }
      if (ejection.expire(now)) {
        slowStart.restart(now);
        log.info("upstream '{}' target {}: ejection over, taking traffic again", upstream.name(), address);
      }
    }
    if (!cb.enabled()) {
      return true;
    }
    boolean[] halfOpened = new boolean[1];
    boolean admits = circuit.admits(now, cb, halfOpened);
    if (halfOpened[0]) {
      log.info("upstream '{}' target {}: circuit half-open, probing", upstream.name(), address);
    }
    return admits;
  }

  /**
   * @return the weight to balance with, in hundredths of {@code weight}: ramped up linearly during
   *     slow start (never below 10 %)
   */
  public int effectiveWeight(int weight, int slowStartMs) {
    return slowStart.effectiveWeight(weight, slowStartMs);
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts (hot path).

  /** A request goes to this target. */
  public void started(CircuitBreakerPolicy cb) {
    load.started();
    upstream.requestsInFlight.incrementAndGet();
    upstream.budget.request(System.currentTimeMillis());
    if (cb.enabled()) {
      circuit.started();
    }
  }

  /**
   * The attempt has ended.
   *
   * @param latencyNanos time to the end of the response, or -1 when there was none
   */
  public void ended(Outcome outcome, long latencyNanos, PassiveHealth passive, CircuitBreakerPolicy cb) {
    boolean failed = outcome == Outcome.HTTP_5XX || outcome == Outcome.GATEWAY_FAILURE;
    load.ended(failed, latencyNanos);
    upstream.requestsInFlight.decrementAndGet();
    switch (outcome) {
      case SUCCESS -> {
        ejection.success();
        if (cb.enabled() && circuit.success() == CircuitBreaker.Change.CLOSED) {
          slowStart.restart(System.nanoTime());
          log.info("upstream '{}' target {}: circuit closed after a successful probe", upstream.name(), address);
        }
      }
      case HTTP_5XX, GATEWAY_FAILURE -> {
        String why = outcome == Outcome.HTTP_5XX ? ejection.failed5xx(passive) : ejection.failedGateway(passive);
        if (why != null) {
          eject(passive, why);
        }
        if (cb.enabled()) {
          logCircuit(circuit.failure(cb), cb);
        }
      }
      case NEUTRAL -> {
      }
    }
  }

  private void logCircuit(CircuitBreaker.Change change, CircuitBreakerPolicy cb) {
    if (change == CircuitBreaker.Change.REOPENED) {
      circuitReason = "circuit open again for " + cb.openMs() + " ms: the probe failed";
      log.warn("upstream '{}' target {}: probe failed, circuit open again for {} ms", upstream.name(), address,
          cb.openMs());
    } else if (change == CircuitBreaker.Change.OPENED) {
      circuitReason = "circuit open for " + cb.openMs() + " ms after " + cb.failureThreshold() + " failures in a row";
      log.warn("upstream '{}' target {}: circuit open for {} ms after {} failures in a row", upstream.name(), address,
          cb.openMs(), cb.failureThreshold());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Passive ejection.

  /**
   * Ejects the target unless that would take too much of the pool (or its last healthy target)
   * out of service; then it stays in, and the refusal is counted and logged.
   */
  void eject(PassiveHealth passive, String reason) {
    long now = System.nanoTime();
    if (ejection.recorded()) {
      return;
    }
    int size = 0;
    int available = 0;
    int ejected = 0;
    for (TargetState t : upstream.members()) {
      size++;
      if (t.ejection.isOut(now)) {
        ejected++;
      } else if (t.verdict != Verdict.UNHEALTHY) {
        available++;
      }
    }
    if (size > 0 && (available <= 1 || (ejected + 1) * 100 > passive.maxEjectionPercent() * size)) {
      upstream.ejectionsRefused.increment();
      ejection.spared();
      log.warn("upstream '{}' target {}: not ejected after {}: {}", upstream.name(), address, reason,
          available <= 1 ? "it is the last healthy target (failing open)"
              : "more than " + passive.maxEjectionPercent() + "% of the pool would be out");
      return;
    }
    long millis = ejection.eject(passive, reason, now);
    if (millis >= 0) {
      log.warn("upstream '{}' target {} ejected for {} ms: {} (ejection #{})", upstream.name(), address, millis,
          reason, ejection.ejections());
    }
  }

  /** Called by the health monitor when the error share over its window is too high. */
  void ejectForErrorRate(PassiveHealth passive, long errors, long total) {
    eject(passive, errors * 100 / Math.max(1, total) + "% errors over the last " + passive.windowMs() / 1000
        + " s (" + errors + " of " + total + ")");
  }

  // ---------------------------------------------------------------------------------------------
  // Active checks (the checker's context only).

  void checkResult(boolean ok, String detail, ActiveHealthCheck cfg) {
    lastCheckMillis = System.currentTimeMillis();
    lastCheck = detail;
    if (ok) {
      checkFailures = 0;
      checkSuccesses++;
      if (verdict != Verdict.HEALTHY && (verdict == Verdict.UNKNOWN || checkSuccesses >= cfg.healthyThreshold())) {
        Verdict before = verdict;
        verdict = Verdict.HEALTHY;
        verdictSinceMillis = lastCheckMillis;
        if (before == Verdict.UNHEALTHY) {
          slowStart.restart(System.nanoTime());
          log.info("upstream '{}' target {} is healthy again: {} ({} checks in a row)", upstream.name(), address,
              detail, checkSuccesses);
        }
        if (ejection.lift()) { // healthy by active checks: un-eject
          slowStart.restart(System.nanoTime());
          log.info("upstream '{}' target {}: ejection lifted, active checks pass", upstream.name(), address);
        }
      }
    } else {
      checkSuccesses = 0;
      checkFailures++;
      if (verdict != Verdict.UNHEALTHY && checkFailures >= cfg.unhealthyThreshold()) {
        verdict = Verdict.UNHEALTHY;
        verdictSinceMillis = lastCheckMillis;
        log.warn("upstream '{}' target {} is unhealthy: {} ({} checks in a row)", upstream.name(), address, detail,
            checkFailures);
      }
    }
  }

  /** Forgets the active verdict (checks switched off). */
  void clearVerdict() {
    verdict = Verdict.UNKNOWN;
    verdictSinceMillis = System.currentTimeMillis();
    checkSuccesses = 0;
    checkFailures = 0;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * @param active the upstream's active check, or {@code null} when it has none
   * @return the one-word summary of this target's health, why, and since when
   */
  public TargetStatus status(long now, ActiveHealthCheck active, CircuitBreakerPolicy cb, int slowStartMs) {
    return TargetStatus.of(this, now, active, cb, slowStartMs);
  }

  // Read by TargetStatus.
  Ejection ejection() {
    return ejection;
  }

  CircuitBreaker circuit() {
    return circuit;
  }

  SlowStart slowStart() {
    return slowStart;
  }

  String lastCheck() {
    return lastCheck;
  }

  long lastCheckMillis() {
    return lastCheckMillis;
  }

  int checkFailures() {
    return checkFailures;
  }

  long verdictSinceMillis() {
    return verdictSinceMillis;
  }

  String circuitReason() {
    return circuitReason;
  }

  /** @return everything the admin API shows about this target */
  public JsonObject toJson(long now) {
    boolean ejected = ejection.isOut(now);
    return new JsonObject()
        .put("outstanding", load.outstanding())
        .put("requests", load.requests())
        .put("failures", load.failures())
        .put("latencyEwmaMicros", Math.round(load.latencyEwmaMicros()))
        .put("active", new JsonObject().put("verdict", verdict.name().toLowerCase())
            .put("lastCheck", lastCheck)
            .put("lastCheckAt", lastCheckMillis == 0 ? null : java.time.Instant.ofEpochMilli(lastCheckMillis).toString()))
        .put("passive", new JsonObject().put("ejected", ejected)
            .put("ejectedForMs", ejection.remainingMillis(now))
            .put("ejections", ejection.ejections()).put("lastEjectionReason", ejection.reason())
            .put("consecutive5xx", ejection.consecutive5xx())
            .put("consecutiveGatewayFailures", ejection.consecutiveGateway()))
        .put("circuit", circuit.state().name().toLowerCase().replace('_', '-'))
        .put("slowStarting", slowStart.active());
  }
}
