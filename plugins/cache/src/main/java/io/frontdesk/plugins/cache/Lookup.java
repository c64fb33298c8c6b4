package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.HeaderFields;

/**
 * What to do with a request for which the cache may hold responses (RFC 9111 4): select the
 * newest variant whose secondary key matches, then serve it fresh, serve it stale where the request
 * ({@code max-stale}) or the response ({@code stale-while-revalidate}) allows, or validate it with
 * the origin; with nothing usable, go to the origin — or answer 504 to {@code only-if-cached}.
 */
final class Lookup {

  /** The cache's move. */
  enum Action {
    /** Answer with the stored response. */
    HIT,
    /** Answer with the stale stored response at once and validate it in the background. */
    HIT_AND_REVALIDATE,
    /** Send the request on, conditional on the stored response's validators. */
    VALIDATE,
    /** Send the request on as it is. */
    FORWARD,
    /** {@code only-if-cached} and nothing to answer with: 504. */
    GATEWAY_TIMEOUT
  }

  /**
   * @param entry the selected stored response, or {@code null}
   * @param fwd why the request goes on (for Cache-Status), or {@code null} for a hit
   * @param detail a short reason for the log
   */
  record Decision(Action action, StoredResponse entry, CacheStatus.Fwd fwd, String detail) {
  }

  private Lookup() {
  }

  static Decision decide(Variants variants, HeaderFields request, RequestDirectives req, long now) {
    if (variants == null) {
      return forward(req, null, CacheStatus.Fwd.URI_MISS, null);
    }
    StoredResponse r = variants.select(request);
    if (r == null) {
      return forward(req, null, CacheStatus.Fwd.VARY_MISS, null);
    }
    StoredHead h = r.head();
    Policy p = h.policy();
    long age = h.age(now);
    long lifetime = p.lifetimeMillis();
    boolean fresh = age < lifetime;
    if (req.noCache()) {
      return validate(req, r, CacheStatus.Fwd.REQUEST, "request no-cache");
    }
    if (p.noCache()) {
      return validate(req, r, CacheStatus.Fwd.STALE, "no-cache");
    }
    if (fresh) {
      if (req.maxAge() >= 0 && age > req.maxAge() * 1000 && !p.immutable()) {
        return validate(req, r, CacheStatus.Fwd.REQUEST, "request max-age");
      }
      if (req.minFresh() >= 0 && lifetime - age < req.minFresh() * 1000) {
        return validate(req, r, CacheStatus.Fwd.REQUEST, "request min-fresh");
      }
      return new Decision(Action.HIT, r, null, null);
    }
    long staleness = age - lifetime;
    if (p.mustRevalidate()) {
      return validate(req, r, CacheStatus.Fwd.STALE, "must revalidate");
    }
    boolean ageAccepted = req.maxAge() < 0 || age <= req.maxAge() * 1000;
    if (req.maxStale() >= 0 && ageAccepted && req.minFresh() < 0
        && (req.maxStale() == Long.MAX_VALUE || staleness <= req.maxStale() * 1000)) {
      return new Decision(Action.HIT, r, null, "max-stale");
    }
    if (p.staleWhileRevalidate() >= 0 && staleness <= p.staleWhileRevalidate() * 1000 && req.maxAge() < 0
        && req.minFresh() < 0) {
      return new Decision(Action.HIT_AND_REVALIDATE, r, null, "stale-while-revalidate");
    }
    return validate(req, r, CacheStatus.Fwd.STALE, null);
  }

  private static Decision validate(RequestDirectives req, StoredResponse r, CacheStatus.Fwd fwd, String detail) {
    if (req.onlyIfCached()) {
      return new Decision(Action.GATEWAY_TIMEOUT, r, fwd, detail);
    }
    boolean validators = r.head().header("etag") != null || r.head().header("last-modified") != null;
    return new Decision(validators ? Action.VALIDATE : Action.FORWARD, r, fwd, detail);
  }

  private static Decision forward(RequestDirectives req, StoredResponse r, CacheStatus.Fwd fwd, String detail) {
    return new Decision(req.onlyIfCached() ? Action.GATEWAY_TIMEOUT : Action.FORWARD, r, fwd, detail);
  }
}
