package io.frontdesk.upstream;

import io.frontdesk.config.CircuitBreakerPolicy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One target's circuit: closed; open after failures in a row; half-open after the open time, when
 * a few probes go through; closed again after a successful probe. Thread-safe.
 */
final class CircuitBreaker {

  /** Circuit breaker states. */
  enum State {
    CLOSED, OPEN, HALF_OPEN
  }

  /** What a call changed, for the owner to log and act on. */
  enum Change {
    NONE, OPENED, REOPENED, HALF_OPENED, CLOSED
  }

  private volatile State state = State.CLOSED;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile long openedNanos;
  /** When the state last changed (epoch ms; 0 = never). */
  private volatile long changedAtMillis;

  State state() {
    return state;
  }

  long changedAtMillis() {
    return changedAtMillis;
  }

  /** @return how long an open circuit stays open after {@code now} (0 when it may half-open) */
  long openRemainingMillis(long now, CircuitBreakerPolicy cb) {
    long left = TimeUnit.MILLISECONDS.toNanos(cb.openMs()) - (now - openedNanos);
    return state == State.OPEN && left > 0 ? TimeUnit.NANOSECONDS.toMillis(left) : 0;
  }

  /**
   * @return whether the circuit lets a request through at {@code now}; moves an open circuit whose
   *     time is up to half-open ({@code halfOpened[0]} is then set)
   */
  boolean admits(long now, CircuitBreakerPolicy cb, boolean[] halfOpened) {
    State s = state;
    if (s == State.OPEN) {
      if (now - openedNanos < TimeUnit.MILLISECONDS.toNanos(cb.openMs())) {
        return false;
      }
      state = State.HALF_OPEN;
      changedAtMillis = System.currentTimeMillis();
      probes.set(0);
      halfOpened[0] = true;
      return true;
    }
    return s != State.HALF_OPEN || probes.get() < cb.halfOpenProbes();
  }

  void started() {
    if (state == State.HALF_OPEN) {
      probes.incrementAndGet();
    }
  }

  Change success() {
    if (failures.get() != 0) {
      failures.set(0);
    }
    if (state == State.HALF_OPEN) {
      state = State.CLOSED;
      changedAtMillis = System.currentTimeMillis();
      return Change.CLOSED;
    }
    return Change.NONE;
  }

  Change failure(CircuitBreakerPolicy cb) {
    if (state == State.HALF_OPEN) {
      openedNanos = System.nanoTime();
      state = State.OPEN;
      changedAtMillis = System.currentTimeMillis();
      return Change.REOPENED;
    }
    if (state == State.CLOSED && failures.incrementAndGet() >= cb.failureThreshold()) {
      failures.set(0);
      openedNanos = System.nanoTime();
      state = State.OPEN;
      changedAtMillis = System.currentTimeMillis();
      return Change.OPENED;
    }
    return Change.NONE;
  }
}
