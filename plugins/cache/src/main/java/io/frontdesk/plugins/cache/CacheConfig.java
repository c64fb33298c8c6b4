package io.frontdesk.plugins.cache;

import io.vertx.core.json.JsonObject;

/**
 * A binding's configuration, with the defaults an empty {@code {}} gets. See {@link ConfigSchema}
 * for each field's meaning.
 *
 * @param cacheName this cache's name in {@code Cache-Status}
 * @param memoryBytes the memory tier's bound in bytes (bodies, fields and bookkeeping)
 * @param maxObjectBytes the largest body stored; larger responses stream through uncached
 * @param heuristic the heuristic freshness of responses without explicit freshness
 * @param staleIfErrorSeconds how long past its freshness a response may answer when the upstream is
 *     down (5xx, unreachable) and neither the response nor the request set {@code stale-if-error}
 * @param maxVariants the most variants (by {@code Vary}) kept per URL
 * @param collapse whether concurrent misses of one URL wait on one fetch
 * @param collapseTimeoutMillis how long a collapsed request waits before it goes to the origin itself
 * @param keys the cache key
 * @param bypass requests kept out of the cache
 */
record CacheConfig(String cacheName, long memoryBytes, long maxObjectBytes, Freshness.Heuristic heuristic,
    long staleIfErrorSeconds, int maxVariants, boolean collapse, long collapseTimeoutMillis, CacheKeys keys,
    BypassRules bypass) {

  static CacheConfig parse(JsonObject c) {
    JsonObject memory = c.getJsonObject("memory", new JsonObject());
    JsonObject heuristic = c.getJsonObject("heuristic", new JsonObject());
    JsonObject collapse = c.getJsonObject("collapse", new JsonObject());
    long memoryBytes = memory.getLong("maxBytes", 64L << 20);
    long maxObject = c.getLong("maxObjectBytes", 8L << 20);
    if (maxObject > memoryBytes) {
      throw new IllegalArgumentException("maxObjectBytes (" + maxObject + ") must not exceed memory.maxBytes ("
          + memoryBytes + ")");
    }
    return new CacheConfig(c.getString("cacheName", "Frontdesk"), memoryBytes, maxObject,
        new Freshness.Heuristic(heuristic.getDouble("fraction", 0.1), heuristic.getLong("maxSeconds", 86400L)),
        c.getLong("staleIfErrorSeconds", 60L), c.getInteger("maxVariants", 16), collapse.getBoolean("enabled", true),
        collapse.getLong("timeoutMs", 5000L), CacheKeys.parse(c.getJsonObject("key")),
        BypassRules.parse(c.getJsonObject("bypass")));
  }
}
