package io.frontdesk.plugins.cache;

/**
 * What a stored response's directives allow, worked out once when it is stored or freshened.
 *
 * @param lifetimeSeconds its freshness lifetime
 * @param source where the lifetime came from
 * @param noCache unqualified {@code no-cache}: every reuse needs a successful validation
 * @param mustRevalidate {@code must-revalidate}, {@code proxy-revalidate} or {@code s-maxage}: never
 *     served stale (RFC 9111 5.2.2.2, 5.2.2.8, 5.2.2.10)
 * @param staleWhileRevalidate seconds of {@code stale-while-revalidate} (RFC 5861), or -1
 * @param staleIfError seconds of {@code stale-if-error}, or -1
 * @param immutable {@code immutable} (RFC 8246): a fresh response is not revalidated for a client's
 *     {@code max-age}
 */
record Policy(long lifetimeSeconds, Freshness.Source source, boolean noCache, boolean mustRevalidate,
    long staleWhileRevalidate, long staleIfError, boolean immutable) {

  static Policy of(CacheControl cc, Freshness.Lifetime lifetime) {
    return new Policy(lifetime.seconds(), lifetime.source(), cc.has("no-cache") && !cc.hasArgument("no-cache"),
        cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage"),
        Math.max(-1, cc.seconds("stale-while-revalidate")), Math.max(-1, cc.seconds("stale-if-error")),
        cc.has("immutable"));
  }

  long lifetimeMillis() {
    return lifetimeSeconds * 1000;
  }
}
