package io.frontdesk.upstream;

import io.frontdesk.config.PassiveHealth;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passive outlier detection for one target: failures in a row, and an ejection whose length grows
 * with each one. Whether the pool can spare the target is its {@link TargetState}'s call.
 * Thread-safe.
 */
final class Ejection {

  private final AtomicInteger consecutive5xx = new AtomicInteger();
  private final AtomicInteger consecutiveGateway = new AtomicInteger();
  private final AtomicLong ejectedUntilNanos = new AtomicLong();
  private volatile int ejections;
  private volatile String reason;
  private volatile long ejectedAtMillis;

  /** @return whether the target is ejected at {@code now} */
  boolean isOut(long now) {
    long until = ejectedUntilNanos.get();
    return until != 0 && now - until < 0;
  }

  /** @return whether an ejection is recorded (over or not) */
  boolean recorded() {
    return ejectedUntilNanos.get() != 0;
  }

  /** @return true once, for the caller that sees an ejection over at {@code now} and clears it */
  boolean expire(long now) {
    long until = ejectedUntilNanos.get();
    return until != 0 && now - until >= 0 && ejectedUntilNanos.compareAndSet(until, 0);
  }

  /** Ends an ejection early (active checks pass). @return whether there was one */
  boolean lift() {
    return ejectedUntilNanos.getAndSet(0) != 0;
  }

  void success() {
    if (consecutive5xx.get() != 0) {
      consecutive5xx.set(0);
    }
    if (consecutiveGateway.get() != 0) {
      consecutiveGateway.set(0);
    }
  }

  /** @return the reason to eject now, or {@code null} */
  String failed5xx(PassiveHealth passive) {
    return passive.enabled() && consecutive5xx.incrementAndGet() >= passive.consecutiveFailures()
        ? passive.consecutiveFailures() + " consecutive 5xx answers" : null;
  }

  /** @return the reason to eject now, or {@code null} */
  String failedGateway(PassiveHealth passive) {
    return passive.enabled() && consecutiveGateway.incrementAndGet() >= passive.consecutiveGatewayFailures()
        ? passive.consecutiveGatewayFailures() + " consecutive connect failures, resets or timeouts" : null;
  }

  /** The pool could not spare the target: its failures in a row start over. */
  void spared() {
    consecutive5xx.set(0);
    consecutiveGateway.set(0);
  }

  /** @return the ejection's length in ms, or -1 when another thread ejected it first */
  long eject(PassiveHealth passive, String why, long now) {
    int n = ejections + 1;
    long millis = Math.min((long) passive.baseEjectionMs() * n, passive.maxEjectionMs());
    if (!ejectedUntilNanos.compareAndSet(0, now + TimeUnit.MILLISECONDS.toNanos(millis))) {
      return -1;
    }
    ejections = n;
    reason = why;
    ejectedAtMillis = System.currentTimeMillis();
    spared();
    return millis;
  }

  int ejections() {
    return ejections;
  }

  long remainingMillis(long now) {
    return isOut(now) ? TimeUnit.NANOSECONDS.toMillis(ejectedUntilNanos.get() - now) : 0;
  }

  String reason() {
    return reason;
  }

  /** @return when the last ejection began (epoch ms; 0 = never) */
  long ejectedAtMillis() {
    return ejectedAtMillis;
  }

  int consecutive5xx() {
    return consecutive5xx.get();
  }

  int consecutiveGateway() {
    return consecutiveGateway.get();
  }
}
