package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.HeaderFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cache key (RFC 9111 2) as a binding configures it. The primary key is the client's URL —
 * scheme and host (each may be left out), the normalised path before any route rewrite, and the
 * query whole, sorted, limited to some parameters or without some, or left out. Request fields and
 * cookies the key names are part of the secondary key, like fields a {@code Vary} names, so a
 * purge or an invalidation of the URL reaches every variant.
 */
final class CacheKeys {

  /** How the query enters the key. */
  enum QueryMode { WHOLE, SORTED, NONE }

  private static final String COOKIE = "cookie:";

  private final boolean scheme;
  private final boolean host;
  private final QueryMode query;
  private final Set<String> include;
  private final Set<String> exclude;
  private final List<String> fields;
  private final boolean cookies;

  CacheKeys(boolean scheme, boolean host, QueryMode query, Set<String> include, Set<String> exclude,
      List<String> headers, List<String> cookieNames) {
    this.scheme = scheme;
    this.host = host;
    this.query = query;
    this.include = include;
    this.exclude = exclude;
    List<String> f = new ArrayList<>();
    headers.forEach(h -> f.add(h.toLowerCase(Locale.ROOT)));
    cookieNames.forEach(c -> f.add(COOKIE + c));
    this.fields = List.copyOf(f);
    this.cookies = !cookieNames.isEmpty();
  }

  /** The default key: scheme, host, path and the whole query. */
  CacheKeys() {
    this(true, true, QueryMode.WHOLE, Set.of(), Set.of(), List.of(), List.of());
  }

  static CacheKeys parse(JsonObject key) {
    if (key == null) {
      return new CacheKeys();
    }
    return new CacheKeys(key.getBoolean("scheme", true), key.getBoolean("host", true),
        QueryMode.valueOf(key.getString("query", "whole").toUpperCase(Locale.ROOT)),
        Set.copyOf(strings(key.getJsonArray("queryInclude"))), Set.copyOf(strings(key.getJsonArray("queryExclude"))),
        strings(key.getJsonArray("headers")), strings(key.getJsonArray("cookies")));
  }

  static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }

  /** @return the primary key of the client's request */
  String of(ClientRequest r) {
    return of(r.scheme(), r.host(), r.path(), r.query());
  }

  /** @return the primary key of a URL on this cache's host names */
  String of(String scheme, String host, String path, String rawQuery) {
    StringBuilder b = new StringBuilder(64);
    if (this.scheme) {
      b.append(scheme).append("://");
    }
    if (this.host) {
      b.append(host);
    }
    b.append(path);
    String q = query(rawQuery);
    if (q != null) {
      b.append('?').append(q);
    }
    return b.toString();
  }

  private String query(String raw) {
    if (raw == null || query == QueryMode.NONE) {
      return null;
    }
    if (query == QueryMode.WHOLE && include.isEmpty() && exclude.isEmpty()) {
      return raw;
    }
    List<String> params = new ArrayList<>();
    for (String p : raw.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq);
      if ((include.isEmpty() || include.contains(name)) && !exclude.contains(name)) {
        params.add(p);
      }
    }
    if (query == QueryMode.SORTED || !include.isEmpty() || !exclude.isEmpty()) {
      params.sort(null);
    }
    return params.isEmpty() ? null : String.join("&", params);
  }

  /** @return the request fields and cookies the configured key names, as secondary-key fields */
  List<String> fields() {
    return fields;
  }

  /** @return the client's fields, through which {@code cookie:<name>} reads a cookie's value */
  HeaderFields view(HeaderFields request) {
    return cookies ? new CookieView(request) : request;
  }

  /** Header fields plus one pseudo-field per cookie ({@code cookie:<name>}). */
  private record CookieView(HeaderFields inner) implements HeaderFields {
    @Override
    public String get(CharSequence name) {
      List<String> all = getAll(name);
      return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public List<String> getAll(CharSequence name) {
      String n = name.toString();
      if (!n.regionMatches(true, 0, COOKIE, 0, COOKIE.length())) {
        return inner.getAll(name);
      }
      String want = n.substring(COOKIE.length());
      List<String> values = new ArrayList<>(1);
      for (String line : inner.getAll("cookie")) {
        for (String pair : line.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equals(want)) {
            values.add(pair.substring(eq + 1).trim());
          }
        }
      }
      return values;
    }

    @Override
    public boolean contains(CharSequence name) {
      return !getAll(name).isEmpty();
    }

    @Override
    public Set<String> names() {
      return new TreeSet<>(inner.names());
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      return inner.iterator();
    }
  }
}
