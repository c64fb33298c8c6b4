package io.frontdesk.pluginhost;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one plugin's filters on this node: calls, failures, timeouts, stalls, time spent. */
public final class FilterStats {

  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder nanos = new LongAdder();
  private final LongAdder stalls = new LongAdder();

  public void called(long elapsedNanos) {
    calls.increment();
    nanos.add(elapsedNanos);
  }

  public void failed() {
    errors.increment();
  }

  public void timedOut() {
    timeouts.increment();
  }

  /** A filter call held its event loop past the stall threshold. */
  public void stalled() {
    stalls.increment();
  }

  public long stalls() {
    return stalls.sum();
  }

  public long calls() {
    return calls.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long timeouts() {
    return timeouts.sum();
  }

  public long nanos() {
    return nanos.sum();
  }
}
