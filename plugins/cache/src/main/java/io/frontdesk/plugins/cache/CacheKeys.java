package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.ClientRequest;

/**
 * The primary cache key of a request (RFC 9111 2): its URI as the client asked for it — scheme,
 * host, the normalised path before any route rewrite, and the query.
 */
final class CacheKeys {

  /** @return the key of the client's request */
  String of(ClientRequest r) {
    return of(r.scheme(), r.host(), r.path(), r.query());
  }

  /** @return the key of a URI on this cache's host names */
  String of(String scheme, String host, String path, String query) {
    StringBuilder b = new StringBuilder(scheme.length() + host.length() + path.length() + 8
        + (query == null ? 0 : query.length()));
    b.append(scheme).append("://").append(host).append(path);
    if (query != null) {
      b.append('?').append(query);
    }
    return b.toString();
  }
}
