package io.frontdesk.plugins.ratelimit;

/**
 * The generic cell rate algorithm, as a pure function: one number per key (the theoretical
 * arrival time, TAT) says when the next request would be on time if requests were evenly spaced.
 * A request may come up to {@code tolerance} ({@code burst} intervals) early. The same arithmetic
 * runs in Redis (see {@code rate-limit.lua}).
 */
final class Gcra {

  private Gcra() {
  }

  /** A decision and the TAT to keep when it is committed. */
  record Step(Outcome outcome, long newTat) {
  }

  /**
   * @param tat the stored TAT, or 0 for a key seen for the first time
   * @param now the current time (µs)
   * @param interval the period divided by the count (µs)
   * @param tolerance {@code burst × interval} (µs)
   */
  static Step decide(long tat, long now, long interval, long tolerance) {
    long t = Math.max(tat, now);
    long early = t - now;
    if (early > tolerance) {
      long wait = early - tolerance;
      return new Step(new Outcome(false, 0, wait, wait, early), tat);
    }
    long remaining = (tolerance - early) / interval;
    long next = t + interval;
    long reset = remaining * interval - tolerance + (next - now);
    return new Step(new Outcome(true, remaining, reset, 0, early), next);
  }
}
