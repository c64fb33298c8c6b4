package io.frontdesk.plugins.ratelimit;

/**
 * What one limit decided for one request. Times are microseconds from the decision.
 *
 * @param allowed whether the request fits the limit
 * @param remaining requests that would still fit right after this one (the {@code r} of RateLimit)
 * @param resetMicros when the remaining quota next grows (the {@code t} of RateLimit)
 * @param retryMicros for a refused request, when one would fit again (Retry-After); 0 when allowed
 * @param earlyMicros for GCRA, how far ahead of its even spacing the request came (what a
 *     {@code delay} waits out); 0 for the sliding window
 */
record Outcome(boolean allowed, long remaining, long resetMicros, long retryMicros, long earlyMicros) {

  /** The limit does not apply (its key is absent from the request). */
  static final Outcome NOT_APPLICABLE = new Outcome(true, -1, 0, 0, 0);

  boolean applies() {
    return remaining >= 0;
  }
}
