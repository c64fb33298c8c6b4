package io.frontdesk.plugins.cache;

/**
 * Whether a stale stored response may answer when the origin fails (RFC 5861 4, RFC 9111 4.2.4):
 * never when its directives forbid serving it stale; otherwise within the {@code stale-if-error}
 * window the response or the request gives (the longer of the two), or without either, the
 * operator's window.
 */
final class StaleIfError {

  private StaleIfError() {
  }

  /** @return whether the status is an error RFC 5861 lets a stale response stand in for */
  static boolean isError(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504;
  }

  static boolean allowed(StoredHead h, RequestDirectives req, long configuredSeconds, long now) {
    Policy p = h.policy();
    if (p.mustRevalidate() || p.noCache()) {
      return false;
    }
    long window = Math.max(p.staleIfError(), req.staleIfError());
    if (window < 0) {
      window = configuredSeconds;
    }
    long staleness = Math.max(0, h.age(now) - p.lifetimeMillis());
    return window > 0 && staleness <= window * 1000;
  }
}
