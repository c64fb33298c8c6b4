package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.HeaderFields;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a successful unsafe request invalidates (RFC 9111 4.4): its target URI, and the URIs its
 * response's {@code Location} and {@code Content-Location} name when they are of the same origin
 * (a cross-origin one is left alone, so nobody can evict another site's responses).
 */
final class Invalidation {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH",
      "QUERY");

  private Invalidation() {
  }

  /** @return whether RFC 9110 9.2.1 calls the method safe (unknown methods are unsafe) */
  static boolean safe(String method) {
    return SAFE.contains(method);
  }

  /** @return whether the status is a non-error one (2xx, 3xx): the kind that invalidates */
  static boolean invalidates(int status) {
    return status >= 200 && status < 400;
  }

  /**
   * @return whether a POST's response may answer later GETs of its URI (RFC 9110 9.3.3): a 200 with
   *     explicit freshness whose {@code Content-Location} is that URI
   */
  static boolean reusablePostResponse(ClientRequest req, int status, HeaderFields response) {
    if (!req.method().equals("POST") || status != 200) {
      return false;
    }
    CacheControl cc = CacheControl.parse(response.getAll("cache-control"));
    if (!cc.has("max-age") && !cc.has("s-maxage") && !response.contains("expires")) {
      return false;
    }
    URI u = sameOrigin(req, response.get("content-location"));
    return u != null && u.getRawPath().equals(req.path())
        && java.util.Objects.equals(u.getRawQuery(), req.query());
  }

  /** @return the keys to invalidate */
  static List<String> keys(ClientRequest req, HeaderFields response, CacheKeys keys) {
    List<String> out = new ArrayList<>(3);
    out.add(keys.of(req));
    for (String field : List.of("location", "content-location")) {
      String v = response.get(field);
      URI u = sameOrigin(req, v);
      if (u != null) {
        out.add(keys.of(req.scheme(), req.host(), u.getRawPath().isEmpty() ? "/" : u.getRawPath(), u.getRawQuery()));
      }
    }
    return out;
  }

  /** @return {@code reference} resolved against the request's URI when it is of the same origin, else {@code null} */
  static URI sameOrigin(ClientRequest req, String reference) {
    if (reference == null || reference.isBlank()) {
      return null;
    }
    try {
      URI base = new URI(req.scheme(), null, req.host(), -1, req.path(), null, null);
      URI u = base.resolve(new URI(reference.trim())).normalize();
      if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase(req.scheme()) || u.getHost() == null
          || !u.getHost().toLowerCase(Locale.ROOT).equals(req.host())) {
        return null;
      }
      return u; // the key has no port: the host names this cache's entries
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
