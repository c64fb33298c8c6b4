package io.frontdesk.upstream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A target's load on this node: requests in flight, totals and a peak-EWMA latency. Thread-safe. */
final class TargetLoad {

  /** Decay time of the latency average: a sample counts half after about 7 s. */
  private static final double EWMA_TAU_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicInteger outstanding = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong ewmaBits = new AtomicLong();
  private volatile long ewmaStampNanos;

  void started() {
    outstanding.incrementAndGet();
    requests.increment();
  }

  /** @param latencyNanos time to the end of the response, or -1 when there was none */
  void ended(boolean failed, long latencyNanos) {
    outstanding.decrementAndGet();
    if (failed) {
      failures.increment();
    }
    if (latencyNanos >= 0) {
      recordLatency(latencyNanos);
    }
  }

  int outstanding() {
    return outstanding.get();
  }

  long requests() {
    return requests.sum();
  }

  long failures() {
    return failures.sum();
  }

  /** @return the decayed latency in µs, with peaks taken at once (0 until measured) */
  double latencyEwmaMicros() {
    return Double.longBitsToDouble(ewmaBits.get());
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
}
