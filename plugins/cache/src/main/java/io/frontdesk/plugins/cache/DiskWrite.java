package io.frontdesk.plugins.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One body being written into the disk tier, chunk by chunk, on the tier's writer thread (never
 * the event loop): a temporary file, the CRC32 of each block as it fills, the trailer at the end,
 * then an atomic rename. When the disk falls behind by more than {@link #MAX_PENDING} bytes the
 * write is given up rather than holding the body in memory.
 */
final class DiskWrite {

  private static final Logger log = LoggerFactory.getLogger(DiskWrite.class);

  static final long MAX_PENDING = 8L << 20;

  private final Path dir;
  private final long id;
  private final Executor writer;
  private final AtomicLong pending = new AtomicLong();
  private volatile boolean failed;
  // Touched on the writer thread only:
  private FileChannel ch;
  private Path tmp;
  private long written;
  private final CRC32 blockCrc = new CRC32();
  private int[] crcs = new int[16];
  private int blocks;

  DiskWrite(Path dir, long id, Executor writer) {
    this.dir = dir;
    this.id = id;
    this.writer = writer;
  }

  /** @return whether the write is still on (false once it was given up) */
  boolean append(byte[] bytes) {
    if (failed) {
      return false;
    }
    if (pending.addAndGet(bytes.length) > MAX_PENDING) {
      log.debug("cache: the disk fell {} bytes behind; not storing this body", pending.get());
      abort();
      return false;
    }
    writer.execute(() -> {
      try {
        if (!failed) {
          write(bytes);
        }
      } catch (IOException e) {
        log.warn("cache: writing {} failed: {}", tmp, e.toString());
        failed = true;
        cleanUp();
      } finally {
        pending.addAndGet(-bytes.length);
      }
    });
    return true;
  }

  private void write(byte[] bytes) throws IOException {
    if (ch == null) {
      Files.createDirectories(dir);
      tmp = dir.resolve(Long.toHexString(id) + ".tmp");
      ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    }
    int off = 0;
    while (off < bytes.length) {
      int room = (int) (DiskFormat.BLOCK - written % DiskFormat.BLOCK);
      int n = Math.min(room, bytes.length - off);
      blockCrc.update(bytes, off, n);
      ByteBuffer b = ByteBuffer.wrap(bytes, off, n);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      written += n;
      off += n;
      if (written % DiskFormat.BLOCK == 0) {
        endBlock();
      }
    }
  }

  private void endBlock() {
    if (blocks == crcs.length) {
      crcs = java.util.Arrays.copyOf(crcs, crcs.length * 2);
    }
    crcs[blocks++] = (int) blockCrc.getValue();
    blockCrc.reset();
  }

  /**
   * Ends the body: writes the trailer for {@code response} (whose body length must be what was
   * written) and hands the stored response, now read from disk, to {@code done} — on the writer
   * thread; {@code null} when the write failed.
   */
  void finish(String key, StoredHead head, Consumer<StoredResponse> done) {
    writer.execute(() -> {
      if (failed) {
        done.accept(null);
        return;
      }
      try {
        if (ch == null) {
          write(new byte[0]);
        }
        if (written % DiskFormat.BLOCK != 0) {
          endBlock();
        }
        int[] all = java.util.Arrays.copyOf(crcs, blocks);
        Path file = dir.resolve(Long.toHexString(id) + ".fdc");
        StoredResponse r = new StoredResponse(id, head, new Body.OnDisk(file, written, all));
        ByteBuffer t = ByteBuffer.wrap(DiskFormat.trailer(key, r, all));
        while (t.hasRemaining()) {
          ch.write(t);
        }
        ch.close();
        ch = null;
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done.accept(r);
      } catch (IOException e) {
        log.warn("cache: finishing {} failed: {}", tmp, e.toString());
        failed = true;
        cleanUp();
        done.accept(null);
      }
    });
  }

  /** Gives the write up: the temporary file goes. */
  void abort() {
    failed = true;
    writer.execute(this::cleanUp);
  }

  private void cleanUp() {
    try {
      if (ch != null) {
        ch.close();
        ch = null;
      }
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ignored) {
      // best effort: a leftover .tmp is removed at the next start
    }
  }
}
