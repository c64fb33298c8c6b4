package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.HeaderFields;
import java.util.List;

/**
 * What a request's {@code Cache-Control} asks of the cache (RFC 9111 5.2.1). A request without
 * {@code Cache-Control} but with {@code Pragma: no-cache} is read as {@code no-cache} (RFC 9111 5.4
 * leaves HTTP/1.0's rule in place for such requests). An argument that is no delta-seconds is
 * ignored, except for {@code max-stale}, where it means "any staleness" as the directive without one.
 *
 * @param maxAge -1 when absent
 * @param maxStale -1 when absent, {@link Long#MAX_VALUE} when any staleness is accepted
 * @param minFresh -1 when absent
 * @param staleIfError -1 when absent
 */
record RequestDirectives(boolean noCache, boolean noStore, boolean onlyIfCached, long maxAge, long maxStale,
    long minFresh, long staleIfError) {

  static final RequestDirectives NONE = new RequestDirectives(false, false, false, -1, -1, -1, -1);

  static RequestDirectives of(HeaderFields h) {
    List<String> lines = h.getAll("cache-control");
    if (lines.isEmpty()) {
      for (String p : h.getAll("pragma")) {
        for (String d : p.split(",")) {
          if (d.trim().equalsIgnoreCase("no-cache")) {
            return new RequestDirectives(true, false, false, -1, -1, -1, -1);
          }
        }
      }
      return NONE;
    }
    CacheControl cc = CacheControl.parse(lines);
    long maxStale = cc.seconds("max-stale");
    return new RequestDirectives(cc.has("no-cache"), cc.has("no-store"), cc.has("only-if-cached"),
        Math.max(-1, cc.seconds("max-age")), maxStale == CacheControl.INVALID ? Long.MAX_VALUE : maxStale,
        Math.max(-1, cc.seconds("min-fresh")), Math.max(-1, cc.seconds("stale-if-error")));
  }
}
