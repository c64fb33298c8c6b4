package io.frontdesk.plugins.ratelimit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A binding's configuration, checked beyond what the JSON schema says (rates, keys, names,
 * delays), with every problem named by its field.
 *
 * @param limits rate limits; a request must fit all that apply to it
 * @param concurrency limits on requests in flight (per node)
 * @param mode where counts live
 * @param redis the shared store, for {@link Mode#REDIS}
 * @param dryRun count and log what would be refused, refuse nothing
 * @param status what a request over a rate limit is answered
 * @param headers which responses carry RateLimit-Policy and RateLimit
 * @param maxKeys the most keys each limit remembers in memory
 */
record RateLimitConfig(List<Limit> limits, List<ConcurrencyLimit> concurrency, Mode mode, RedisSettings redis,
    boolean dryRun, int status, HeaderMode headers, long maxKeys) {

  enum Mode { LOCAL, REDIS }

  enum HeaderMode { ALL, REFUSED, NONE }

  /** The longest a request may be delayed: below Frontdesk's default filter timeout (10 s). */
  static final long MAX_DELAY_MICROS = 9_000_000;

  /**
   * Redis connection settings.
   *
   * @param url {@code redis://[:password@]host:port[/db]}
   * @param timeoutMillis how long a decision waits for Redis before it counts as unreachable
   * @param failOpen whether requests pass (true) or are refused with 503 (false) without Redis
   * @param prefix the first part of every key this binding keeps in Redis
   */
  record RedisSettings(String url, long timeoutMillis, boolean failOpen, String prefix) {
    /** @return the address without a password, for logs and access-log details */
    String displayUrl() {
      return url.replaceFirst("//[^@/]*@", "//");
    }
  }

  static RateLimitConfig parse(JsonObject c) {
    List<String> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Limit> limits = new ArrayList<>();
    JsonArray ls = c.getJsonArray("limits", new JsonArray());
    for (int i = 0; i < ls.size(); i++) {
      Limit l = limit(ls.getJsonObject(i), "limits[" + i + "]", errors);
      if (l != null && !names.add(l.name())) {
        errors.add("limits[" + i + "].name: '" + l.name() + "' is used twice: give each limit its own name");
      }
      if (l != null) {
        limits.add(l);
      }
    }
    List<ConcurrencyLimit> conc = new ArrayList<>();
    JsonArray cs = c.getJsonArray("concurrency", new JsonArray());
    for (int i = 0; i < cs.size(); i++) {
      ConcurrencyLimit l = concurrency(cs.getJsonObject(i), "concurrency[" + i + "]", errors);
      if (l != null && !names.add(l.name())) {
        errors.add("concurrency[" + i + "].name: '" + l.name() + "' is used twice: give each limit its own name");
      }
      if (l != null) {
        conc.add(l);
      }
    }
    if (limits.isEmpty() && conc.isEmpty() && errors.isEmpty()) {
      errors.add("limits: give at least one limit (or a concurrency limit)");
    }
    Mode mode = Mode.valueOf(c.getString("mode", "local").toUpperCase(Locale.ROOT));
    RedisSettings redis = null;
    JsonObject r = c.getJsonObject("redis");
    if (mode == Mode.REDIS) {
      if (r == null || r.getString("url") == null) {
        errors.add("redis.url: mode \"redis\" needs the Redis address, e.g. redis://127.0.0.1:6379");
      } else {
        String url = r.getString("url");
        if (!validRedisUrl(url)) {
          errors.add("redis.url: '" + url + "' is not a Redis address: write redis://host:port (or rediss:// for TLS)");
        }
        redis = new RedisSettings(url, r.getLong("timeoutMs", 100L), !"closed".equals(r.getString("failure", "open")),
            r.getString("prefix", "frontdesk:rl:"));
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    HeaderMode headers = HeaderMode.valueOf(c.getString("headers", "all").toUpperCase(Locale.ROOT));
    return new RateLimitConfig(List.copyOf(limits), List.copyOf(conc), mode, redis, c.getBoolean("dryRun", false),
        c.getInteger("status", 429), headers, c.getLong("maxKeys", 100_000L));
  }

  private static Limit limit(JsonObject l, String at, List<String> errors) {
    int before = errors.size();
    Rate rate = null;
    try {
      rate = Rate.parse(l.getString("rate"));
    } catch (IllegalArgumentException e) {
      errors.add(at + ".rate: " + e.getMessage());
    }
    KeySpec key = key(l, at, errors);
    Limit.Algorithm alg = "sliding-window".equals(l.getString("algorithm")) ? Limit.Algorithm.SLIDING_WINDOW
        : Limit.Algorithm.GCRA;
    if (errors.size() > before) {
      return null;
    }
    long burst = l.getLong("burst", rate.count() - 1);
    long delay = l.getLong("delay", -1L);
    if (alg == Limit.Algorithm.SLIDING_WINDOW && (l.containsKey("burst") || l.containsKey("delay"))) {
      errors.add(at + ": burst and delay work with the gcra algorithm only (a sliding window allows "
          + rate.count() + " per period, however they come)");
      return null;
    }
    if (delay > burst) {
      errors.add(at + ".delay: " + delay + " is more than burst (" + burst + "): requests beyond the burst are refused, never delayed");
      return null;
    }
    String name = l.getString("name", key + " " + rate);
    Limit limit = new Limit(name, key, rate, alg, burst, delay);
    if (limit.maxDelayMicros() > MAX_DELAY_MICROS) {
      errors.add(at + ".delay: a request could wait " + limit.maxDelayMicros() / 1000 + " ms ((burst - delay) x "
          + rate.intervalMicros() / 1000 + " ms); at most " + MAX_DELAY_MICROS / 1000 + " ms: raise delay or lower burst");
      return null;
    }
    return limit;
  }

  private static ConcurrencyLimit concurrency(JsonObject l, String at, List<String> errors) {
    int before = errors.size();
    KeySpec key = key(l, at, errors);
    if (errors.size() > before) {
      return null;
    }
    int max = l.getInteger("max");
    return new ConcurrencyLimit(l.getString("name", key + " " + max + " in flight"), key, max, l.getInteger("status", 429));
  }

  private static KeySpec key(JsonObject l, String at, List<String> errors) {
    Object k = l.getValue("key");
    List<String> parts = new ArrayList<>();
    if (k instanceof String s) {
      parts.add(s);
    } else if (k instanceof JsonArray a) {
      a.forEach(p -> parts.add(String.valueOf(p)));
    }
    try {
      return KeySpec.parse(parts, l.getInteger("ipv4Prefix", 32), l.getInteger("ipv6Prefix", 64));
    } catch (IllegalArgumentException e) {
      errors.add(at + ".key: " + e.getMessage());
      return null;
    }
  }

  private static boolean validRedisUrl(String url) {
    try {
      URI u = new URI(url);
      return ("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) && u.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }
}
