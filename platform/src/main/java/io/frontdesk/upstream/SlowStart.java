package io.frontdesk.upstream;

import java.util.concurrent.TimeUnit;

/** A target that became usable again takes its full weight gradually, from 10 %. Thread-safe. */
final class SlowStart {

  /** When the target last became usable (0 = long enough ago). */
  private volatile long sinceNanos;

  void restart(long now) {
    sinceNanos = now;
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
