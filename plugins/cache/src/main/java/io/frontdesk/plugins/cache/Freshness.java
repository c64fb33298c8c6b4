package io.frontdesk.plugins.cache;

import java.util.List;

/**
 * How long a response stays fresh in a shared cache (RFC 9111 4.2.1): {@code s-maxage}, else
 * {@code max-age}, else {@code Expires} minus {@code Date}, else — only for statuses that allow it
 * or responses marked {@code public} — a heuristic from {@code Last-Modified} (4.2.2). A present but
 * invalid value means stale (0), and so does an invalid {@code Expires} (5.3).
 */
final class Freshness {

  /** Where the lifetime came from (for Cache-Status details). */
  enum Source { S_MAXAGE, MAX_AGE, EXPIRES, HEURISTIC, NONE }

  /** A freshness lifetime in seconds and its source. */
  record Lifetime(long seconds, Source source) {
    static final Lifetime NONE = new Lifetime(0, Source.NONE);
  }

  /**
   * The heuristic for responses without explicit freshness.
   *
   * @param fraction of the time since {@code Last-Modified} (RFC 9111 suggests 10 %)
   * @param maxSeconds the most a heuristic lifetime may be
   */
  record Heuristic(double fraction, long maxSeconds) {
  }

  private Freshness() {
  }

  /**
   * @param dateSeconds the response's {@code Date} (or its arrival when it had none or an invalid one)
   * @param nowSeconds the clock, for dates with two-digit years
   */
  static Lifetime lifetime(CacheControl cc, List<String> expires, long dateSeconds, String lastModified, int status,
      Heuristic heuristic, long nowSeconds) {
    long s = cc.seconds("s-maxage");
    if (s != CacheControl.ABSENT) {
      return new Lifetime(Math.max(0, s), Source.S_MAXAGE);
    }
    long m = cc.seconds("max-age");
    if (m != CacheControl.ABSENT) {
      return new Lifetime(Math.max(0, m), Source.MAX_AGE);
    }
    if (expires != null && !expires.isEmpty()) {
      if (expires.size() > 1) {
        return new Lifetime(0, Source.EXPIRES); // two Expires: stale, as 4.2.1 allows
      }
      long e = HttpDate.parse(expires.get(0), nowSeconds);
      if (e == HttpDate.INVALID) {
        return new Lifetime(0, Source.EXPIRES);
      }
      return new Lifetime(Math.min(CacheControl.MAX_DELTA, Math.max(0, e - dateSeconds)), Source.EXPIRES);
    }
    if (heuristic == null || !heuristicallyCacheable(status) && !cc.has("public")) {
      return Lifetime.NONE;
    }
    long lm = HttpDate.parse(lastModified, nowSeconds);
    if (lm == HttpDate.INVALID || lm >= dateSeconds) {
      return Lifetime.NONE;
    }
    long h = (long) ((dateSeconds - lm) * heuristic.fraction());
    return h <= 0 ? Lifetime.NONE : new Lifetime(Math.min(h, heuristic.maxSeconds()), Source.HEURISTIC);
  }

  /** @return whether RFC 9110 15.1 lets caches use heuristic freshness for the status */
  static boolean heuristicallyCacheable(int status) {
    return switch (status) {
      case 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501 -> true;
      default -> false;
    };
  }
}
