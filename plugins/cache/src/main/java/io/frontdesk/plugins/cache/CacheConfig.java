package io.frontdesk.plugins.cache;

import io.vertx.core.json.JsonObject;

/**
 * A binding's configuration, with the defaults an empty {@code {}} gets. See {@link ConfigSchema}
 * for each field's meaning.
 *
 * @param cacheName this cache's name in {@code Cache-Status}
 * @param memoryBytes the memory tier's bound in bytes (bodies, fields and bookkeeping)
 * @param memoryObjectBytes the largest body the memory tier keeps
 * @param maxObjectBytes the largest body stored in any tier; larger responses stream through uncached
 * @param diskBytes the disk tier's bound in bytes; 0 when there is no disk tier
 * @param heuristic the heuristic freshness of responses without explicit freshness
 * @param staleIfErrorSeconds how long past its freshness a response may answer when the upstream is
 *     down (5xx, unreachable) and neither the response nor the request set {@code stale-if-error}
 * @param maxVariants the most variants (by {@code Vary}) kept per URL
 * @param collapse whether concurrent misses of one URL wait on one fetch
 * @param collapseTimeoutMillis how long a collapsed request waits before it goes to the origin itself
 * @param keys the cache key
 * @param bypass requests kept out of the cache
 * @param surrogateKeyField the response field whose space-separated tags purges may name, or {@code null}
 */
record CacheConfig(String cacheName, long memoryBytes, long memoryObjectBytes, long maxObjectBytes, long diskBytes,
    Freshness.Heuristic heuristic, long staleIfErrorSeconds, int maxVariants, boolean collapse,
    long collapseTimeoutMillis, CacheKeys keys, BypassRules bypass, String surrogateKeyField) {

  static CacheConfig parse(JsonObject c) {
    JsonObject memory = c.getJsonObject("memory", new JsonObject());
    JsonObject disk = c.getJsonObject("disk", new JsonObject());
    JsonObject heuristic = c.getJsonObject("heuristic", new JsonObject());
    JsonObject collapse = c.getJsonObject("collapse", new JsonObject());
    long memoryBytes = memory.getLong("maxBytes", 64L << 20);
    long diskBytes = disk.getBoolean("enabled", false) ? disk.getLong("maxBytes", 1L << 30) : 0;
    long maxObject = c.getLong("maxObjectBytes", 8L << 20);
    long memoryObject = memory.getLong("maxObjectBytes", diskBytes > 0 ? Math.min(1L << 20, maxObject) : maxObject);
    if (memoryObject > memoryBytes) {
      throw new IllegalArgumentException("memory.maxObjectBytes (" + memoryObject + ") must not exceed "
          + "memory.maxBytes (" + memoryBytes + ")");
    }
    long room = diskBytes > 0 ? diskBytes : memoryBytes;
    if (maxObject > room) {
      throw new IllegalArgumentException("maxObjectBytes (" + maxObject + ") must not exceed "
          + (diskBytes > 0 ? "disk.maxBytes" : "memory.maxBytes") + " (" + room + ")");
    }
    if (diskBytes == 0 && memoryObject < maxObject) {
      throw new IllegalArgumentException("without a disk tier, memory.maxObjectBytes (" + memoryObject
          + ") must be at least maxObjectBytes (" + maxObject + ")");
    }
    return new CacheConfig(c.getString("cacheName", "Frontdesk"), memoryBytes, Math.min(memoryObject, maxObject),
        maxObject, diskBytes,
        new Freshness.Heuristic(heuristic.getDouble("fraction", 0.1), heuristic.getLong("maxSeconds", 86400L)),
        c.getLong("staleIfErrorSeconds", 60L), c.getInteger("maxVariants", 16), collapse.getBoolean("enabled", true),
        collapse.getLong("timeoutMs", 5000L), CacheKeys.parse(c.getJsonObject("key")),
        BypassRules.parse(c.getJsonObject("bypass")), blankToNull(c.getString("surrogateKeyField", "Surrogate-Key")));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
