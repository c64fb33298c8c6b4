package io.frontdesk.plugins.cache;

/**
 * Whether a shared cache may store a response (RFC 9111 3 and 3.5): a final status (206 and 304
 * are never stored whole), no {@code no-store} in request or response (unless {@code
 * must-understand} names a status the cache understands), no unqualified {@code private}, an
 * {@code Authorization} request only with {@code public}, {@code s-maxage} or {@code
 * must-revalidate}, and something that makes it reusable: {@code public}, {@code max-age}, {@code
 * s-maxage}, {@code Expires}, or a status that is heuristically cacheable.
 */
final class StorabilityRules {

  /** The answer, and why not. */
  record Verdict(boolean storable, String reason) {
    static final Verdict YES = new Verdict(true, null);

    static Verdict no(String reason) {
      return new Verdict(false, reason);
    }
  }

  private StorabilityRules() {
  }

  /**
   * @param requestNoStore whether the request carried {@code no-store}
   * @param response the response's directives
   * @param authorization whether the request carried {@code Authorization}
   * @param hasExpires whether the response carries an {@code Expires} field (valid or not)
   */
  static Verdict check(int status, boolean requestNoStore, CacheControl response, boolean authorization,
      boolean hasExpires) {
    if (status < 200 || status == 206 || status == 304) {
      return Verdict.no("status " + status + " is not stored");
    }
    boolean understood = understood(status);
    if (response.has("must-understand") && !understood) {
      return Verdict.no("must-understand with a status the cache does not understand");
    }
    if (requestNoStore) {
      return Verdict.no("request no-store");
    }
    if (response.has("no-store") && !(response.has("must-understand") && understood)) {
      return Verdict.no("no-store");
    }
    if (response.has("private") && !response.hasArgument("private")) {
      return Verdict.no("private");
    }
    if (authorization && !response.has("public") && !response.has("s-maxage")
        && !response.has("must-revalidate")) {
      return Verdict.no("authorized request");
    }
    if (response.has("public") || response.has("max-age") || response.has("s-maxage") || hasExpires
        || Freshness.heuristicallyCacheable(status)) {
      return Verdict.YES;
    }
    return Verdict.no("no explicit freshness and status " + status + " is not heuristically cacheable");
  }

  /** @return whether RFC 9110 defines the status (what must-understand asks about) */
  static boolean understood(int status) {
    return status >= 200 && status <= 206 || status >= 300 && status <= 305 || status == 307 || status == 308
        || status >= 400 && status <= 417 || status == 421 || status == 422 || status == 426
        || status >= 500 && status <= 505;
  }
}
