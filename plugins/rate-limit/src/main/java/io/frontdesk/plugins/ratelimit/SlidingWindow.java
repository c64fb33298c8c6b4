package io.frontdesk.plugins.ratelimit;

/**
 * The sliding-window counter, as a pure function: counts of the current and the previous fixed
 * window (aligned to the epoch), the previous one weighted by how much of it the sliding window
 * still covers. Two numbers per key, smooth at window edges, no per-request log. The same
 * arithmetic runs in Redis (see {@code rate-limit.lua}).
 */
final class SlidingWindow {

  private SlidingWindow() {
  }

  /** A decision and the counts to keep when it is committed. */
  record Step(Outcome outcome, long window, long current, long previous) {
  }

  /**
   * @param window the index of the window the counts belong to ({@code now / size} when stored)
   * @param current requests counted in that window
   * @param previous requests counted in the window before it
   * @param now the current time (µs)
   * @param limit requests allowed per window
   * @param size the window (µs)
   */
  static Step decide(long window, long current, long previous, long now, long limit, long size) {
    long index = now / size;
    if (window != index) {
      previous = window == index - 1 ? current : 0;
      current = 0;
    }
    long elapsed = now - index * size;
    double weighted = (double) previous * (size - elapsed) / size;
    if (weighted + current + 1 <= limit) {
      long remaining = (long) Math.floor(limit - weighted - current - 1);
      return new Step(new Outcome(true, remaining, size - elapsed, 0, 0), index, current + 1, previous);
    }
    long wait;
    if (current + 1 <= limit) {
      // within this window, once the previous window's weight has shrunk enough
      double at = size - (double) (limit - current - 1) * size / previous;
      wait = Math.max(1, (long) Math.ceil(at) - elapsed);
    } else {
      // only in the next window, once this window's count (then the previous) has shrunk enough
      double at = size - (double) (limit - 1) * size / current;
      wait = size - elapsed + Math.max(0, (long) Math.ceil(at));
    }
    return new Step(new Outcome(false, 0, wait, wait, 0), index, current, previous);
  }
}
