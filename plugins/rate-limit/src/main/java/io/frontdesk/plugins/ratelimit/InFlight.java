package io.frontdesk.plugins.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests in flight per key for one concurrency limit, on this node. A key is held only while it
 * has requests in flight, so the map is never larger than the requests being served.
 */
final class InFlight {

  private final ConcurrentHashMap<String, int[]> counts = new ConcurrentHashMap<>();
  private final int max;

  InFlight(int max) {
    this.max = max;
  }

  /** @return the count after taking a slot, or -(count) + -1 when the key has none free */
  int acquire(String key) {
    int[] result = new int[1];
    counts.compute(key, (k, c) -> {
      int n = c == null ? 0 : c[0];
      if (n >= max) {
        result[0] = -n - 1;
        return c;
      }
      result[0] = n + 1;
      if (c == null) {
        return new int[] {1};
      }
      c[0] = n + 1;
      return c;
    });
    return result[0];
  }

  void release(String key) {
    counts.computeIfPresent(key, (k, c) -> --c[0] <= 0 ? null : c);
  }

  /** @return requests in flight for {@code key} */
  int count(String key) {
    int[] c = counts.get(key);
    return c == null ? 0 : c[0];
  }

  /** @return how many keys have requests in flight */
  int keys() {
    return counts.size();
  }
}
