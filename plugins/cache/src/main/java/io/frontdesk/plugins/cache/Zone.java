package io.frontdesk.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One binding's store: the memory tier (Caffeine, W-TinyLFU, bounded by the bytes its entries
 * weigh) keyed by primary key, each value the {@link Variants} of that URL; optionally a
 * {@link DiskTier} that every stored response is written through to and that holds the bodies too
 * large for memory; the fills requests collapse onto; and its counters. Thread-safe: every event
 * loop of the node uses it.
 */
final class Zone {

  private final Cache<String, Variants> memory;
  private final ZoneStats stats = new ZoneStats();
  private final SurrogateKeys tags = new SurrogateKeys();
  private final java.util.function.Supplier<Path> diskDir;
  private final String name;
  private volatile CacheConfig config;
  private volatile DiskTier disk;
  /** Keys with a background revalidation running (one per key). */
  private final Set<String> revalidating = ConcurrentHashMap.newKeySet();
  /** Responses being fetched for a key that requests may collapse onto. */
  private final ConcurrentHashMap<String, Fill> fills = new ConcurrentHashMap<>();
  /** Keys whose last fetch was not storable: their misses are not collapsed for a while. */
  private final Cache<String, Boolean> uncacheable = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(java.time.Duration.ofSeconds(10)).build();

  /**
   * @param diskDir where the disk tier keeps its files (asked when one is configured), or {@code null}
   *     for none (a trial filter)
   * @param name for the disk tier's thread names
   */
  Zone(CacheConfig config, java.util.function.Supplier<Path> diskDir, String name) {
    this.config = config;
    this.diskDir = diskDir;
    this.name = name;
    memory = Caffeine.newBuilder()
        .maximumWeight(config.memoryBytes())
        .weigher((String k, Variants v) -> 40 + 2 * k.length() + v.weight())
        .removalListener((String k, Variants v, RemovalCause cause) -> {
          if (cause.wasEvicted()) {
            stats.evicted();
          }
        })
        .build();
    configure(config);
  }

  /** Applies a binding's (changed) configuration: bounds, and the disk tier on or off. */
  synchronized void configure(CacheConfig c) {
    config = c;
    memory.policy().eviction().ifPresent(e -> {
      if (e.getMaximum() != c.memoryBytes()) {
        e.setMaximum(c.memoryBytes());
      }
    });
    if (c.diskBytes() > 0 && diskDir != null) {
      if (disk == null) {
        disk = new DiskTier(diskDir.get(), c.diskBytes(), c.heuristic(), name,
            (key, head) -> tags.add(key, head.headers(), config.surrogateKeyField()));
      } else {
        disk.resize(c.diskBytes());
      }
    } else if (disk != null) {
      disk.close();
      disk = null;
    }
  }

  ZoneStats stats() {
    return stats;
  }

  DiskTier disk() {
    return disk;
  }

  /** @return the stored variants of {@code key} in either tier, newest first, or {@code null} */
  Variants get(String key) {
    Variants m = memory.getIfPresent(key);
    DiskTier d = disk;
    if (d == null) {
      return m;
    }
    List<StoredResponse> onDisk = d.get(key);
    if (onDisk.isEmpty()) {
      return m;
    }
    List<StoredResponse> all = new ArrayList<>(m == null ? List.of() : m.entries());
    for (StoredResponse r : onDisk) {
      if (m == null || !m.has(r.id())) {
        all.add(r);
      }
    }
    all.sort(Comparator.comparingLong((StoredResponse r) -> r.head().responseTime()).reversed());
    return new Variants(List.copyOf(all));
  }

  /** Stores {@code r} as the newest variant of {@code key}, replacing the one with its secondary key. */
  void store(String key, StoredResponse r) {
    CacheConfig c = config;
    tags.add(key, r.head().headers(), c.surrogateKeyField());
    DiskTier d = disk;
    if (d != null) {
      for (StoredResponse old : d.get(key)) {
        if (old.id() != r.id() && old.head().vary().sameAs(r.head().vary())) {
          d.remove(old.id());
        }
      }
    }
    if (r.body() instanceof Body.InMemory m && m.length() <= c.memoryObjectBytes()) {
      memory.asMap().compute(key, (k, v) -> v == null ? new Variants(List.of(r)) : v.with(r, c.maxVariants()));
      if (d != null) {
        d.writeThrough(key, r);
      }
    } else if (r.body() instanceof Body.OnDisk && d != null) {
      memory.asMap().computeIfPresent(key, (k, v) -> v.without(r)); // an older in-memory variant of it goes
      d.written(key, r);
    }
    stats.stored();
  }

  /** Replaces {@code old} (a validated variant of {@code key}) by {@code updated}, if it is still there. */
  void replace(String key, StoredResponse old, StoredResponse updated) {
    memory.asMap().computeIfPresent(key, (k, v) -> {
      Variants n = v.replacing(old, updated);
      return n == null ? v : n;
    });
    DiskTier d = disk;
    if (d != null) {
      d.freshen(key, updated);
    }
  }

  /** Removes one variant of {@code key}. */
  void remove(String key, StoredResponse gone) {
    memory.asMap().computeIfPresent(key, (k, v) -> v.without(gone));
    DiskTier d = disk;
    if (d != null) {
      d.remove(gone.id());
    }
  }

  /** Removes every variant of {@code key}. */
  boolean invalidate(String key) {
    boolean was = memory.asMap().remove(key) != null;
    DiskTier d = disk;
    if (d != null) {
      was |= !d.get(key).isEmpty();
      d.invalidate(key);
    }
    return was;
  }

  /** @return how many URLs a purge of the primary keys starting with {@code prefix} removed */
  int purgePrefix(String prefix) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (String k : memory.asMap().keySet()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    DiskTier d = disk;
    if (d != null) {
      for (String k : d.keys()) {
        if (k.startsWith(prefix)) {
          keys.add(k);
        }
      }
    }
    int n = 0;
    for (String k : keys) {
      n += invalidate(k) ? 1 : 0;
    }
    return n;
  }

  /** @return how many URLs a purge of the surrogate key {@code tag} removed */
  int purgeTag(String tag) {
    int n = 0;
    for (String k : tags.take(tag)) {
      n += invalidate(k) ? 1 : 0;
    }
    return n;
  }

  CacheConfig config() {
    return config;
  }

  /** @return a fill for {@code key} that nobody collapses onto; the zone stores what it completes */
  Fill newFill(String key) {
    Fill f = new Fill(key, config.memoryObjectBytes(), disk);
    storeWhenDone(key, f);
    return f;
  }

  /** @return the fill in progress for {@code key} that a request may collapse onto, or {@code null} */
  Fill fill(String key) {
    return fills.get(key);
  }

  /** @return a new fill others may collapse onto, or {@code null} when one is in progress already */
  Fill startFill(String key) {
    Fill f = new Fill(key, config.memoryObjectBytes(), disk);
    if (fills.putIfAbsent(key, f) != null) {
      return null;
    }
    storeWhenDone(key, f);
    return f;
  }

  /** Stores what {@code fill} completes under {@code key}; a registered fill leaves when done or failed. */
  private void storeWhenDone(String key, Fill fill) {
    fill.listen(() -> {
      Fill.State s = fill.state();
      if (s == Fill.State.DONE && fill.result() != null) {
        store(key, fill.result());
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

  /** @return the entries (URLs) and bytes the memory tier holds now */
  long[] memoryUse() {
    long bytes = memory.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new long[] {memory.estimatedSize(), bytes};
  }

  /** @return the URLs in memory (for purges by prefix) */
  Set<String> memoryKeys() {
    return memory.asMap().keySet();
  }

  /** Drops what memory holds and stops the disk tier's threads (its files stay for the next start). */
  synchronized void close() {
    memory.invalidateAll();
    if (disk != null) {
      disk.close();
      disk = null;
    }
  }
}
