package io.frontdesk.upstream;

import java.util.concurrent.TimeUnit;

/** A target that became usable again takes its full weight gradually, from 10 %. Thread-safe. */
final class SlowStart {

  /** When the target last became usable (0 = long enough ago). */
  private volatile long sinceNanos;
  private volatile long sinceMillis;

  void restart(long now) {
    sinceNanos = now;
    sinceMillis = System.currentTimeMillis();
  }

  /** @return the share of its weight the target takes at {@code now} (0.1-1), or -1 when not ramping */
  double ramping(long now, int slowStartMs) {
    long since = sinceNanos;
    if (slowStartMs <= 0 || since == 0) {
      return -1;
    }
    long elapsed = now - since;
    long ramp = TimeUnit.MILLISECONDS.toNanos(slowStartMs);
    return elapsed >= ramp ? -1 : Math.max(0.1, (double) elapsed / ramp);
  }

  /** @return when the last ramp began (epoch ms; 0 = never) */
  long sinceMillis() {
    return sinceMillis;
  }

  boolean active() {
    return sinceNanos != 0;
  }

  /** @return the weight in hundredths of {@code weight}, ramped up linearly (never below 10 %) */
  int effectiveWeight(int weight, int slowStartMs) {
    long since = sinceNanos;
    if (slowStartMs <= 0 || since == 0) {
      return weight * 100;
    }
    long elapsed = System.nanoTime() - since;
    long ramp = TimeUnit.MILLISECONDS.toNanos(slowStartMs);
    if (elapsed >= ramp) {
      sinceNanos = 0;
      return weight * 100;
    }
    double share = Math.max(0.1, (double) elapsed / ramp);
    return Math.max(1, (int) Math.round(weight * 100 * share));
  }
}
