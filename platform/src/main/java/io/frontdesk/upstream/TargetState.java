package io.frontdesk.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one target of one upstream on this node: requests in flight and a decayed
 * latency average. Kept by {@link TargetStates} under the target's address, so it survives
 * configuration changes. Updated from every event loop, so every field is atomic.
 */
public final class TargetState {

  /** Weight of the newest sample in the latency average. */
  private static final double EWMA_ALPHA = 0.2;

  private final String key;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong latencyEwmaBits = new AtomicLong(Double.doubleToRawLongBits(0));
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  TargetState(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public int outstanding() {
    return outstanding.get();
  }

  public void requestStarted() {
    outstanding.incrementAndGet();
    requests.incrementAndGet();
  }

  /**
   * @param latencyNanos time to the end of the response; negative when there was no response
   */
  public void requestEnded(long latencyNanos, boolean failed) {
    outstanding.decrementAndGet();
    if (failed) {
      failures.incrementAndGet();
    }
    if (latencyNanos >= 0) {
      double sample = latencyNanos / 1000.0;
      long prev;
      long next;
      do {
        prev = latencyEwmaBits.get();
        double old = Double.longBitsToDouble(prev);
        double v = old == 0 ? sample : old + EWMA_ALPHA * (sample - old);
        next = Double.doubleToRawLongBits(v);
      } while (!latencyEwmaBits.compareAndSet(prev, next));
    }
  }

  public double latencyEwmaMicros() {
    return Double.longBitsToDouble(latencyEwmaBits.get());
  }

  public long requests() {
    return requests.get();
  }

  public long failures() {
    return failures.get();
  }
}
