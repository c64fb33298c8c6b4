package io.frontdesk.upstream;

import io.frontdesk.config.ActiveHealthCheck;
import io.frontdesk.config.CircuitBreakerPolicy;
import io.frontdesk.config.PassiveHealth;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one target on this node: load (requests in flight, a peak-EWMA latency), the
 * active check verdict, passive ejection, the circuit breaker and slow start. Kept by address in
 * its {@link UpstreamState}, so it survives configuration changes. Updated from every event loop
 * and the health checker, so its fields are atomic or volatile; state changes are logged with the
 * reason.
 */
public final class TargetState {

  private static final Logger log = LoggerFactory.getLogger(TargetState.class);
  /** Decay time of the latency average: a sample counts half after about 7 s. */
  private static final double EWMA_TAU_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Active check verdicts. */
  public enum Verdict {
    UNKNOWN, HEALTHY, UNHEALTHY
  }

  /** Circuit breaker states. */
  public enum Circuit {
    CLOSED, OPEN, HALF_OPEN
  }

  private final UpstreamState upstream;
  private final String address;

  // Load.
  private final AtomicInteger outstanding = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong ewmaBits = new AtomicLong();
  private volatile long ewmaStampNanos;

  // Active checks (written by the checker's context only).
  private volatile Verdict verdict = Verdict.UNKNOWN;
  private int checkSuccesses;
  private int checkFailures;
  private volatile long lastCheckMillis;
  private volatile String lastCheck;

  // Passive ejection.
  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGateway = new AtomicInteger();
  private final AtomicLong ejectedUntilNanos = new AtomicLong();
  private volatile int ejections;
  private volatile String ejectionReason;

  // Circuit breaker.
  private volatile Circuit circuit = Circuit.CLOSED;
  private final AtomicInteger circuitFailures = new AtomicInteger();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile long circuitOpenedNanos;

  // Slow start: when the target last became usable (0 = long enough ago).
  private volatile long availableSinceNanos;

  TargetState(UpstreamState upstream, String address) {
    this.upstream = upstream;
    this.address = address;
  }

  public String address() {
    return address;
  }

  public int outstanding() {
    return outstanding.get();
  }

  public long requests() {
    return requests.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /** @return the decayed latency in µs, with peaks taken at once (0 until measured) */
  public double latencyEwmaMicros() {
    return Double.longBitsToDouble(ewmaBits.get());
  }

  public Verdict verdict() {
    return verdict;
  }

  public Circuit circuit() {
    return circuit;
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
    long until = ejectedUntilNanos.get();
    if (until != 0) {
      if (now - until < 0) {
        return false;
      }
      if (ejectedUntilNanos.compareAndSet(until, 0)) {
        availableSinceNanos = now;
        log.info("upstream '{}' target {}: ejection over, taking traffic again", upstream.name(), address);
      }
    }
    if (cb.enabled()) {
      Circuit c = circuit;
      if (c == Circuit.OPEN) {
        if (now - circuitOpenedNanos < TimeUnit.MILLISECONDS.toNanos(cb.openMs())) {
          return false;
        }
        circuit = Circuit.HALF_OPEN;
        probes.set(0);
        log.info("upstream '{}' target {}: circuit half-open, probing", upstream.name(), address);
        return true;
      }
      if (c == Circuit.HALF_OPEN) {
        return probes.get() < cb.halfOpenProbes();
      }
    }
    return true;
  }

  /**
   * @return the weight to balance with, in hundredths of {@code weight}: ramped up linearly during
   *     slow start (never below 10 %)
   */
  public int effectiveWeight(int weight, int slowStartMs) {
    long since = availableSinceNanos;
    if (slowStartMs <= 0 || since == 0) {
      return weight * 100;
    }
    long elapsed = System.nanoTime() - since;
    long ramp = TimeUnit.MILLISECONDS.toNanos(slowStartMs);
    if (elapsed >= ramp) {
      availableSinceNanos = 0;
      return weight * 100;
    }
    double share = Math.max(0.1, (double) elapsed / ramp);
    return Math.max(1, (int) Math.round(weight * 100 * share));
  }

  // ---------------------------------------------------------------------------------------------
  // Attempts (hot path).

  /** A request goes to this target. */
  public void started(CircuitBreakerPolicy cb) {
    outstanding.incrementAndGet();
    upstream.requestsInFlight.incrementAndGet();
    upstream.budget.request(System.currentTimeMillis());
    requests.increment();
    if (cb.enabled() && circuit == Circuit.HALF_OPEN) {
      probes.incrementAndGet();
    }
  }

  /**
   * The attempt has ended.
   *
   * @param latencyNanos time to the end of the response, or -1 when there was none
   */
  public void ended(Outcome outcome, long latencyNanos, PassiveHealth passive, CircuitBreakerPolicy cb) {
    outstanding.decrementAndGet();
    upstream.requestsInFlight.decrementAndGet();
    if (latencyNanos >= 0) {
      recordLatency(latencyNanos);
    }
    switch (outcome) {
      case SUCCESS -> {
        if (consecutive5xx.get() != 0) {
          consecutive5xx.set(0);
        }
        if (consecutiveGateway.get() != 0) {
          consecutiveGateway.set(0);
        }
        if (cb.enabled()) {
          circuitSuccess();
        }
      }
      case HTTP_5XX -> {
        failures.increment();
        if (passive.enabled() && consecutive5xx.incrementAndGet() >= passive.consecutiveFailures()) {
          eject(passive, passive.consecutiveFailures() + " 5xx answers in a row");
        }
        if (cb.enabled()) {
          circuitFailure(cb);
        }
      }
      case GATEWAY_FAILURE -> {
        failures.increment();
        if (passive.enabled() && consecutiveGateway.incrementAndGet() >= passive.consecutiveGatewayFailures()) {
          eject(passive, passive.consecutiveGatewayFailures() + " connect failures, resets or timeouts in a row");
        }
        if (cb.enabled()) {
          circuitFailure(cb);
        }
      }
      case NEUTRAL -> {
      }
    }
  }

  /** Peak EWMA: a slower sample is taken at once, faster ones pull the average down over time. */
  private void recordLatency(long nanos) {
    double sample = nanos / 1000.0;
    long now = System.nanoTime();
    for (int tries = 0; tries < 8; tries++) {
      long prev = ewmaBits.get();
      double old = Double.longBitsToDouble(prev);
      double next;
      if (old == 0 || sample > old) {
        next = sample;
      } else {
        double w = Math.exp(-(now - ewmaStampNanos) / EWMA_TAU_NANOS);
        next = old * w + sample * (1 - w);
      }
      if (ewmaBits.compareAndSet(prev, Double.doubleToRawLongBits(next))) {
        ewmaStampNanos = now;
        return;
      }
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
    if (ejectedUntilNanos.get() != 0) {
      return;
    }
    int size = 0;
    int available = 0;
    int ejected = 0;
    for (TargetState t : upstream.members()) {
      size++;
      long u = t.ejectedUntilNanos.get();
      boolean out = u != 0 && now - u < 0;
      if (out) {
        ejected++;
      } else if (t.verdict != Verdict.UNHEALTHY) {
        available++;
      }
    }
    if (size > 0 && (available <= 1 || (ejected + 1) * 100 > passive.maxEjectionPercent() * size)) {
      upstream.ejectionsRefused.increment();
      consecutive5xx.set(0);
      consecutiveGateway.set(0);
      log.warn("upstream '{}' target {}: not ejected after {}: {}", upstream.name(), address, reason,
          available <= 1 ? "it is the last healthy target (failing open)"
              : "more than " + passive.maxEjectionPercent() + "% of the pool would be out");
      return;
    }
    int n = ejections + 1;
    long millis = Math.min((long) passive.baseEjectionMs() * n, passive.maxEjectionMs());
    if (ejectedUntilNanos.compareAndSet(0, now + TimeUnit.MILLISECONDS.toNanos(millis))) {
      ejections = n;
      ejectionReason = reason;
      consecutive5xx.set(0);
      consecutiveGateway.set(0);
      log.warn("upstream '{}' target {} ejected for {} ms: {} (ejection #{})", upstream.name(), address, millis,
          reason, n);
    }
  }

  /** Called by the health monitor when the error share over its window is too high. */
  void ejectForErrorRate(PassiveHealth passive, long errors, long total) {
    eject(passive, errors * 100 / Math.max(1, total) + "% errors over the last " + passive.windowMs() / 1000
        + " s (" + errors + " of " + total + ")");
  }

  // ---------------------------------------------------------------------------------------------
  // Circuit breaker.

  private void circuitSuccess() {
    if (circuitFailures.get() != 0) {
      circuitFailures.set(0);
    }
    if (circuit == Circuit.HALF_OPEN) {
      circuit = Circuit.CLOSED;
      availableSinceNanos = System.nanoTime();
      log.info("upstream '{}' target {}: circuit closed after a successful probe", upstream.name(), address);
    }
  }

  private void circuitFailure(CircuitBreakerPolicy cb) {
    if (circuit == Circuit.HALF_OPEN) {
      circuitOpenedNanos = System.nanoTime();
      circuit = Circuit.OPEN;
      log.warn("upstream '{}' target {}: probe failed, circuit open again for {} ms", upstream.name(), address,
          cb.openMs());
      return;
    }
    if (circuit == Circuit.CLOSED && circuitFailures.incrementAndGet() >= cb.failureThreshold()) {
      circuitFailures.set(0);
      circuitOpenedNanos = System.nanoTime();
      circuit = Circuit.OPEN;
      log.warn("upstream '{}' target {}: circuit open for {} ms after {} failures in a row", upstream.name(), address,
          cb.openMs(), cb.failureThreshold());
    }
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
        if (before == Verdict.UNHEALTHY) {
          availableSinceNanos = System.nanoTime();
          log.info("upstream '{}' target {} is healthy again: {} ({} checks in a row)", upstream.name(), address,
              detail, checkSuccesses);
        }
        if (ejectedUntilNanos.get() != 0) {
          ejectedUntilNanos.set(0); // healthy by active checks: un-eject
          availableSinceNanos = System.nanoTime();
          log.info("upstream '{}' target {}: ejection lifted, active checks pass", upstream.name(), address);
        }
      }
    } else {
      checkSuccesses = 0;
      checkFailures++;
      if (verdict != Verdict.UNHEALTHY && checkFailures >= cfg.unhealthyThreshold()) {
        verdict = Verdict.UNHEALTHY;
        log.warn("upstream '{}' target {} is unhealthy: {} ({} checks in a row)", upstream.name(), address, detail,
            checkFailures);
      }
    }
  }

  /** Forgets the active verdict (checks switched off). */
  void clearVerdict() {
    verdict = Verdict.UNKNOWN;
    checkSuccesses = 0;
    checkFailures = 0;
  }

  // ---------------------------------------------------------------------------------------------

  /** @return everything the admin API shows about this target */
  public JsonObject toJson(long now) {
    long until = ejectedUntilNanos.get();
    boolean ejected = until != 0 && now - until < 0;
    return new JsonObject()
        .put("outstanding", outstanding.get())
        .put("requests", requests.sum())
        .put("failures", failures.sum())
        .put("latencyEwmaMicros", Math.round(latencyEwmaMicros()))
        .put("active", new JsonObject().put("verdict", verdict.name().toLowerCase())
            .put("lastCheck", lastCheck)
            .put("lastCheckAt", lastCheckMillis == 0 ? null : java.time.Instant.ofEpochMilli(lastCheckMillis).toString()))
        .put("passive", new JsonObject().put("ejected", ejected)
            .put("ejectedForMs", ejected ? TimeUnit.NANOSECONDS.toMillis(until - now) : 0)
            .put("ejections", ejections).put("lastEjectionReason", ejectionReason)
            .put("consecutive5xx", consecutive5xx.get()).put("consecutiveGatewayFailures", consecutiveGateway.get()))
        .put("circuit", circuit.name().toLowerCase().replace('_', '-'))
        .put("slowStarting", availableSinceNanos != 0);
  }
}
