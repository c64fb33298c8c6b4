package io.frontdesk.api.lb;

/**
 * What a {@link LoadBalancer} may know of the request it places: read-only, so a balancer can hash
 * on it but never change the exchange.
 */
public interface BalancerContext {

  /** @return the client's address (trusted-proxy aware) */
  String clientIp();

  /** @return the request method */
  String method();

  /** @return the host the client asked for (lower case, no port) */
  String host();

  /** @return the path as it goes upstream (normalised, after the route's rewrite) */
  String path();

  /** @return a request header's first value, or {@code null} */
  String header(CharSequence name);

  /** @return the value of a request cookie, or {@code null} */
  default String cookie(String name) {
    String header = header("cookie");
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
        return p.substring(eq + 1).trim();
      }
    }
    return null;
  }
}
