package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.ClientRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Requests the operator keeps out of the cache: they are neither answered from it nor stored
 * ({@code Cache-Status: fwd=bypass}). A rule names methods, path prefixes (a trailing {@code *} is
 * the same), request fields that are present, or cookies that are present ({@code name*} for a
 * prefix). Unsafe methods still invalidate.
 */
final class BypassRules {

  static final BypassRules NONE = new BypassRules(List.of(), List.of(), List.of(), List.of());

  private final List<String> methods;
  private final List<String> paths;
  private final List<String> headers;
  private final List<String> cookies;

  BypassRules(List<String> methods, List<String> paths, List<String> headers, List<String> cookies) {
    this.methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    this.paths = paths.stream().map(p -> p.endsWith("*") ? p.substring(0, p.length() - 1) : p).toList();
    this.headers = List.copyOf(headers);
    this.cookies = List.copyOf(cookies);
  }

  static BypassRules parse(JsonObject b) {
    if (b == null) {
      return NONE;
    }
    return new BypassRules(CacheKeys.strings(b.getJsonArray("methods")), CacheKeys.strings(b.getJsonArray("paths")),
        CacheKeys.strings(b.getJsonArray("headers")), CacheKeys.strings(b.getJsonArray("cookies")));
  }

  /** @return why the request bypasses the cache, or {@code null} */
  String reason(ClientRequest r) {
    if (methods.contains(r.method())) {
      return "method " + r.method();
    }
    for (String p : paths) {
      if (r.path().startsWith(p)) {
        return "path " + p;
      }
    }
    for (String h : headers) {
      if (r.headers().contains(h)) {
        return "field " + h;
      }
    }
    if (!cookies.isEmpty()) {
      for (String line : r.headers().getAll("cookie")) {
        for (String pair : line.split(";")) {
          int eq = pair.indexOf('=');
          String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
          for (String c : cookies) {
            if (c.endsWith("*") ? name.startsWith(c.substring(0, c.length() - 1)) : name.equals(c)) {
              return "cookie " + name;
            }
          }
        }
      }
    }
    return null;
  }
}
