package io.frontdesk.api.http;

/**
 * The request as the client sent it, read-only, for as long as the exchange lives: what a cache
 * key or a WAF needs after a route or a filter has rewritten the request that goes upstream
 * ({@link io.frontdesk.api.exchange.Exchange#request()}).
 */
public interface ClientRequest {

  /** @return the method, e.g. {@code GET} */
  String method();

  /**
   * @return the request target exactly as received (origin form such as {@code /a/../b?x=%41}, or
   *     the absolute form's path and query); on HTTP/2 the {@code :path} pseudo-header
   */
  String target();

  /**
   * @return the path after normalisation (dot segments resolved, unreserved escapes decoded,
   *     duplicate slashes merged) but before any route rewrite or filter change
   */
  String path();

  /** @return the query string as received, without {@code ?}, or {@code null} */
  String query();

  /** @return the host the client asked for, lower-case, without port */
  String host();

  /** @return {@code http} or {@code https} */
  String scheme();

  /** @return {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2} */
  String protocol();

  /**
   * @return the header fields as received, before Frontdesk removed hop-by-hop fields or added
   *     {@code X-Forwarded-*}, and before any filter changed them
   */
  HeaderFields headers();
}
