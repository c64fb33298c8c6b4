package io.frontdesk.plugins.cache;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * A purge: by URL (its stored responses, every variant), by URL prefix, or by surrogate key —
 * for every binding or one. It travels between nodes as JSON.
 *
 * @param binding the binding id, or {@code null} for every binding
 */
record Purge(String binding, String url, String prefix, String surrogateKey) {

  private static final int MAX = 2048;

  /** @return the purge asked for, or throws {@link IllegalArgumentException} naming the field */
  static Purge parse(JsonObject body) {
    if (body == null) {
      throw new Invalid("body", "must be a JSON object with url, prefix or surrogateKey");
    }
    for (String f : body.fieldNames()) {
      if (!f.equals("binding") && !f.equals("url") && !f.equals("prefix") && !f.equals("surrogateKey")) {
        throw new Invalid(f, "is not a known field");
      }
    }
    Purge p = new Purge(string(body, "binding"), string(body, "url"), string(body, "prefix"),
        string(body, "surrogateKey"));
    int given = (p.url != null ? 1 : 0) + (p.prefix != null ? 1 : 0) + (p.surrogateKey != null ? 1 : 0);
    if (given != 1) {
      throw new Invalid("url", "give exactly one of url, prefix and surrogateKey");
    }
    if (p.url != null) {
      absolute("url", p.url);
    }
    if (p.prefix != null) {
      absolute("prefix", p.prefix);
    }
    if (p.surrogateKey != null && !p.surrogateKey.matches("\\S+")) {
      throw new Invalid("surrogateKey", "must be one tag without spaces");
    }
    return p;
  }

  private static String string(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty() || s.length() > MAX) {
      throw new Invalid(field, "must be a string of 1 to " + MAX + " characters");
    }
    return s;
  }

  private static URI absolute(String field, String value) {
    try {
      URI u = new URI(value);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
        throw new Invalid(field, "must be an absolute http or https URL, e.g. https://shop.example/a");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new Invalid(field, "is not a URL: " + e.getReason());
    }
  }

  /** @return the primary key of {@link #url} (or of the start of {@link #prefix}) under {@code keys} */
  static String key(String url, CacheKeys keys, boolean prefix) {
    URI u = URI.create(url);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String k = keys.of(u.getScheme().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT), path,
        prefix ? null : u.getRawQuery());
    return prefix && u.getRawQuery() != null ? k + "?" + u.getRawQuery() : k;
  }

  /** @return the URLs it removed from {@code zones} (binding id → zone) on this node */
  int apply(Map<String, Zone> zones) {
    int n = 0;
    for (Map.Entry<String, Zone> z : zones.entrySet()) {
      if (binding != null && !binding.equals(z.getKey())) {
        continue;
      }
      Zone zone = z.getValue();
      CacheKeys keys = zone.config().keys();
      if (url != null) {
        n += zone.invalidate(key(url, keys, false)) ? 1 : 0;
      } else if (prefix != null) {
        n += zone.purgePrefix(key(prefix, keys, true));
      } else {
        n += zone.purgeTag(surrogateKey);
      }
    }
    return n;
  }

  JsonObject toJson() {
    return new JsonObject().put("binding", binding).put("url", url).put("prefix", prefix)
        .put("surrogateKey", surrogateKey);
  }

  static Purge fromJson(JsonObject j) {
    return new Purge(j.getString("binding"), j.getString("url"), j.getString("prefix"), j.getString("surrogateKey"));
  }

  /** An invalid purge request, naming its field. */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String field;

    Invalid(String field, String message) {
      super(message);
      this.field = field;
    }
  }
}
