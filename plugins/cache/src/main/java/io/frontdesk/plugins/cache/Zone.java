package io.frontdesk.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One binding's store: the memory tier (Caffeine, W-TinyLFU, bounded by the bytes its entries
 * weigh) keyed by primary key, each value the {@link Variants} of that URL; and its counters.
 * Thread-safe: every event loop of the node uses it.
 */
final class Zone {

  private final Cache<String, Variants> memory;
  private final ZoneStats stats = new ZoneStats();
  /** Keys with a background revalidation running (one per key). */
  private final Set<String> revalidating = ConcurrentHashMap.newKeySet();
  /** Responses being fetched for a key that requests may collapse onto. */
  private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
  /** Keys whose last fetch was not storable: their misses are not collapsed for a while. */
  private final Cache<String, Boolean> uncacheable = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(java.time.Duration.ofSeconds(10)).build();

  Zone(long maxBytes) {
    memory = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String k, Variants v) -> 40 + 2 * k.length() + v.weight())
        .removalListener((String k, Variants v, RemovalCause cause) -> {
          if (cause.wasEvicted()) {
            stats.evicted();
          }
        })
        .build();
  }

  ZoneStats stats() {
    return stats;
  }

  /** @return the stored variants of {@code key}, or {@code null} */
  Variants get(String key) {
    return memory.getIfPresent(key);
  }

  /** Stores {@code r} as the newest variant of {@code key}, replacing the one with its secondary key. */
  void store(String key, StoredResponse r, int maxVariants) {
    memory.asMap().compute(key, (k, v) -> v == null ? new Variants(java.util.List.of(r)) : v.with(r, maxVariants));
    stats.stored();
  }

  /** Replaces {@code old} (a validated variant of {@code key}) by {@code updated}, if it is still there. */
  void replace(String key, StoredResponse old, StoredResponse updated) {
    memory.asMap().computeIfPresent(key, (k, v) -> {
      Variants n = v.replacing(old, updated);
      return n == null ? v : n;
    });
  }

  /** Removes one variant of {@code key}. */
  void remove(String key, StoredResponse gone) {
    memory.asMap().computeIfPresent(key, (k, v) -> v.without(gone));
  }

  /** Removes every variant of {@code key}. */
  boolean invalidate(String key) {
    return memory.asMap().remove(key) != null;
  }

  /** @return the fill in progress for {@code key} that a request may collapse onto, or {@code null} */
  Fill fill(String key) {
    return fills.get(key);
  }

  /** @return a new fill others may collapse onto, or {@code null} when one is in progress already */
  Fill startFill(String key, int maxVariants) {
    Fill f = new Fill();
    if (fills.putIfAbsent(key, f) != null) {
      return null;
    }
    storeWhenDone(key, f, maxVariants);
    return f;
  }

  /** Stores what {@code fill} completes under {@code key}; a registered fill leaves when done or failed. */
  void storeWhenDone(String key, Fill fill, int maxVariants) {
    fill.listen(() -> {
      Fill.State s = fill.state();
      if (s == Fill.State.DONE && fill.result() != null) {
        store(key, fill.result(), maxVariants);
      }
      if (s == Fill.State.DONE || s == Fill.State.FAILED) {
        fills.remove(key, fill);
      }
    });
  }

  /** The last fetch of {@code key} was not storable: do not make its misses wait on each other. */
  void markUncacheable(String key) {
    uncacheable.put(key, Boolean.TRUE);
  }

  boolean uncacheable(String key) {
    return uncacheable.getIfPresent(key) != null;
  }

  /** @return whether this call claimed the background revalidation of {@code key} */
  boolean startRevalidation(String key) {
    return revalidating.add(key);
  }

  void revalidationDone(String key) {
    revalidating.remove(key);
  }

  /** Applies a changed bound (a binding's configuration was edited). */
  void resize(long maxBytes) {
    memory.policy().eviction().ifPresent(e -> {
      if (e.getMaximum() != maxBytes) {
        e.setMaximum(maxBytes);
      }
    });
  }

  /** @return the entries (URLs) and bytes the memory tier holds now */
  long[] memoryUse() {
    long bytes = memory.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new long[] {memory.estimatedSize(), bytes};
  }

  void clear() {
    memory.invalidateAll();
  }
}
