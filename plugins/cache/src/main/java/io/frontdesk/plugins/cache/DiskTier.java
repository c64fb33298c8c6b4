package io.frontdesk.plugins.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A binding's disk tier: one file per stored response in the binding's folder of the plugin's data
 * directory, an index in memory (W-TinyLFU, bounded by the files' bytes; an evicted entry's file is
 * deleted), rebuilt from the files' trailers when the node starts. Files are written and deleted
 * on a writer thread of its own and read on two reader threads, never on an event loop. A file
 * that does not check out is deleted and never served.
 */
final class DiskTier {

  private static final Logger log = LoggerFactory.getLogger(DiskTier.class);

  private final Path dir;
  private final Freshness.Heuristic heuristic;
  private final ExecutorService writer;
  private final ExecutorService readers;
  private final Cache<Long, DiskFormat.Entry> index;
  private final Map<String, Set<Long>> byKey = new ConcurrentHashMap<>();
  private final LongAdder evictions = new LongAdder();
  private volatile boolean loaded;
  /** Hears of every response indexed (for the zone's surrogate keys). */
  private final java.util.function.BiConsumer<String, StoredHead> onIndexed;

  DiskTier(Path dir, long maxBytes, Freshness.Heuristic heuristic, String name) {
    this(dir, maxBytes, heuristic, name, (k, h) -> { });
  }

  DiskTier(Path dir, long maxBytes, Freshness.Heuristic heuristic, String name,
      java.util.function.BiConsumer<String, StoredHead> onIndexed) {
    this.onIndexed = onIndexed;
    this.dir = dir;
    this.heuristic = heuristic;
    this.writer = Executors.newSingleThreadExecutor(daemon("frontdesk-cache-disk-writer-" + name));
    this.readers = Executors.newFixedThreadPool(2, daemon("frontdesk-cache-disk-reader-" + name));
    this.index = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Long id, DiskFormat.Entry e) -> (int) Math.min(Integer.MAX_VALUE,
            e.response().body().length() + 1024))
        .executor(writer)
        .removalListener((Long id, DiskFormat.Entry e, RemovalCause cause) -> {
          if (e == null || cause == RemovalCause.REPLACED) {
            return;
          }
          if (cause.wasEvicted()) {
            evictions.increment();
          }
          forget(e.key(), id);
          delete(((Body.OnDisk) e.response().body()).file());
        })
        .build();
    writer.execute(this::load);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Reads every file's trailer into the index; leftovers and files that do not check out go. */
  private void load() {
    if (!Files.isDirectory(dir)) {
      loaded = true;
      return;
    }
    int kept = 0;
    int dropped = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (!n.endsWith(".fdc")) {
          delete(f);
          continue;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          DiskFormat.Entry e = DiskFormat.read(f, ch, heuristic);
          add(e);
          kept++;
        } catch (IOException e) {
          dropped++;
          delete(f);
        }
      }
    } catch (IOException e) {
      log.warn("cache: could not read the disk tier in {}: {}", dir, e.toString());
    }
    loaded = true;
    if (kept + dropped > 0) {
      log.info("cache: {} responses read back from {}, {} dropped", kept, dir, dropped);
    }
  }

  boolean loaded() {
    return loaded;
  }

  private void add(DiskFormat.Entry e) {
    byKey.computeIfAbsent(e.key(), k -> ConcurrentHashMap.newKeySet()).add(e.response().id());
    index.put(e.response().id(), e);
    onIndexed.accept(e.key(), e.response().head());
  }

  private void forget(String key, long id) {
    byKey.computeIfPresent(key, (k, ids) -> {
      ids.remove(id);
      return ids.isEmpty() ? null : ids;
    });
  }

  /** @return the stored responses of {@code key} on disk, newest first (empty when none) */
  List<StoredResponse> get(String key) {
    Set<Long> ids = byKey.get(key);
    if (ids == null) {
      return List.of();
    }
    List<StoredResponse> out = new ArrayList<>(ids.size());
    for (Long id : ids) {
      DiskFormat.Entry e = index.getIfPresent(id);
      if (e != null) {
        out.add(e.response());
      }
    }
    out.sort(Comparator.comparingLong((StoredResponse r) -> r.head().responseTime()).reversed());
    return out;
  }

  /** @return a write of a body that streams in; {@link #written} indexes what it completes */
  DiskWrite begin(long id) {
    return new DiskWrite(dir, id, writer);
  }

  /** Indexes a response a {@link DiskWrite} completed. */
  void written(String key, StoredResponse r) {
    if (r != null) {
      add(new DiskFormat.Entry(key, r));
    }
  }

  /** Writes a response held in memory to disk as well (so it survives a restart). */
  void writeThrough(String key, StoredResponse r) {
    Body.InMemory m = (Body.InMemory) r.body();
    DiskWrite w = begin(r.id());
    if (m.length() > 0) {
      w.append(m.bytes());
    }
    w.finish(key, r.head(), stored -> written(key, stored));
  }

  /** Replaces the head of a stored response (a validation freshened it): a new trailer, the same body. */
  void freshen(String key, StoredResponse updated) {
    DiskFormat.Entry old = index.getIfPresent(updated.id());
    if (old == null) {
      return;
    }
    Body.OnDisk body = (Body.OnDisk) old.response().body();
    StoredResponse r = new StoredResponse(updated.id(), updated.head(), body);
    index.put(r.id(), new DiskFormat.Entry(key, r));
    writer.execute(() -> {
      try (FileChannel ch = FileChannel.open(body.file(), StandardOpenOption.WRITE)) {
        ch.truncate(body.length());
        ByteBuffer t = ByteBuffer.wrap(DiskFormat.trailer(key, r, body.blockCrcs()));
        long at = body.length();
        while (t.hasRemaining()) {
          at += ch.write(t, at);
        }
      } catch (IOException e) {
        remove(r.id());
      }
    });
  }

  void remove(long id) {
    index.invalidate(id);
  }

  /** Removes every stored response of {@code key}. */
  void invalidate(String key) {
    Set<Long> ids = byKey.get(key);
    if (ids != null) {
      for (Long id : List.copyOf(ids)) {
        index.invalidate(id);
      }
    }
  }

  /** @return the keys on disk (for purges by prefix and by surrogate key) */
  Set<String> keys() {
    return byKey.keySet();
  }

  /**
   * Reads {@code length} bytes of a body from {@code from}, checking every block it touches.
   *
   * @return the bytes, on a reader thread; failed when the file is gone or a block does not check out
   */
  java.util.concurrent.CompletableFuture<byte[]> read(Body.OnDisk body, long from, int length) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (FileChannel ch = FileChannel.open(body.file(), StandardOpenOption.READ)) {
        return readChecked(ch, body, from, length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, readers);
  }

  /** @return bytes [from, from+length) of the body, every block they touch verified */
  static byte[] readChecked(FileChannel ch, Body.OnDisk body, long from, int length) throws IOException {
    byte[] out = new byte[length];
    long end = from + length;
    int first = (int) (from / DiskFormat.BLOCK);
    for (int b = first; (long) b * DiskFormat.BLOCK < end; b++) {
      long start = (long) b * DiskFormat.BLOCK;
      int size = (int) Math.min(DiskFormat.BLOCK, body.length() - start);
      ByteBuffer buf = ByteBuffer.allocate(size);
      DiskFormat.readFully(ch, buf, start);
      CRC32 crc = new CRC32();
      crc.update(buf.array(), 0, size);
      if ((int) crc.getValue() != body.blockCrcs()[b]) {
        throw new IOException("block " + b + " of " + body.file().getFileName() + " does not check out");
      }
      long copyFrom = Math.max(from, start);
      long copyTo = Math.min(end, start + size);
      System.arraycopy(buf.array(), (int) (copyFrom - start), out, (int) (copyFrom - from), (int) (copyTo - copyFrom));
    }
    return out;
  }

  /** @return entries and bytes on disk */
  long[] use() {
    long bytes = index.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    return new long[] {index.estimatedSize(), bytes};
  }

  long evictions() {
    return evictions.sum();
  }

  void resize(long maxBytes) {
    index.policy().eviction().ifPresent(e -> {
      if (e.getMaximum() != maxBytes) {
        e.setMaximum(maxBytes);
      }
    });
  }

  private static void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // it is no longer indexed; the next start removes it
    }
  }

  /** Stops the threads; the files stay for the next start. */
  void close() {
    index.cleanUp();
    writer.shutdown();
    readers.shutdown();
  }
}
