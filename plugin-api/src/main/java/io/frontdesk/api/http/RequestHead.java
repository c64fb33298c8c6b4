package io.frontdesk.api.http;

/**
 * The request line and headers of one exchange, as they will be sent upstream.
 *
 * <p>The path is already normalised (dot segments resolved, unreserved percent-escapes decoded,
 * duplicate slashes merged) and any route rewrite applied; filters may change it further in the
 * request phase.
 */
public interface RequestHead {

  /** @return the method, e.g. {@code GET} */
  String method();

  /** @return the normalised path, always starting with {@code /} */
  String path();

  /** Replaces the path sent upstream; must start with {@code /}. */
  void path(String path);

  /** @return the raw query string without {@code ?}, or {@code null} when there is none */
  String query();

  /** Replaces the query string; {@code null} removes it. */
  void query(String query);

  /** @return path and query as sent upstream, e.g. {@code /a/b?x=1} */
  default String uri() {
    String q = query();
    return q == null ? path() : path() + "?" + q;
  }

  /** @return the host the client asked for, lower-case, without port */
  String host();

  /** @return {@code http} or {@code https}: the scheme the client used to reach Frontdesk */
  String scheme();

  /** @return {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2} */
  String protocol();

  /** @return the request headers (mutable in the request phase) */
  Headers headers();
}
