package io.frontdesk.plugins.ratelimit;

/**
 * One rate limit of a binding, compiled.
 *
 * @param name the policy's name in RateLimit headers, logs and Redis keys
 * @param key what it counts by
 * @param rate the sustained rate
 * @param algorithm GCRA or the sliding window
 * @param burst requests that may come at once above the even spacing (GCRA)
 * @param delay with GCRA, how many requests of a burst pass at once before the rest are delayed
 *     to their even spacing; -1 for none delayed (all of a burst pass at once)
 */
record Limit(String name, KeySpec key, Rate rate, Algorithm algorithm, long burst, long delay) {

  enum Algorithm {
    GCRA("gcra"), SLIDING_WINDOW("sliding-window");

    final String json;

    Algorithm(String json) {
      this.json = json;
    }
  }

  /** @return the GCRA tolerance: {@code burst} intervals (µs) */
  long toleranceMicros() {
    return burst * rate.intervalMicros();
  }

  /** @return how long a request of this limit waits when it came {@code earlyMicros} early */
  long delayMicros(long earlyMicros) {
    if (delay < 0) {
      return 0;
    }
    return Math.max(0, earlyMicros - delay * rate.intervalMicros());
  }

  /** @return the longest a request may be delayed */
  long maxDelayMicros() {
    return delay < 0 ? 0 : Math.max(0, (burst - delay) * rate.intervalMicros());
  }
}
