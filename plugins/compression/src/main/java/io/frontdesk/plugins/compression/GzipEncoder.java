package io.frontdesk.plugins.compression;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) on a pooled {@link Deflater}: a deflater holds ~260 KiB of native memory, and
 * making and freeing one per response (what GZIPOutputStream does) showed up as page faults under
 * load. Each thread (an event loop) keeps a few per level and resets them between responses.
 */
final class GzipEncoder {

  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final int POOLED_PER_LEVEL = 32;
  private static final ThreadLocal<ArrayDeque<Deflater>[]> POOL = ThreadLocal.withInitial(() -> {
    @SuppressWarnings("unchecked")
    ArrayDeque<Deflater>[] byLevel = new ArrayDeque[10];
    for (int i = 0; i < byLevel.length; i++) {
      byLevel[i] = new ArrayDeque<>();
    }
    return byLevel;
  });

  private final int level;
  private final CRC32 crc = new CRC32();
  private final byte[] out = new byte[32 * 1024];
  private Deflater deflater;
  private long size;
  private boolean headerWritten;

  GzipEncoder(int level) {
    this.level = level;
    Deflater d = POOL.get()[level].poll();
    this.deflater = d != null ? d : new Deflater(level, true);
  }

  /** Compresses {@code chunk}; with {@code flush}, everything so far comes out (a sync flush). */
  Buffer encode(Buffer chunk, boolean flush) {
    Buffer result = Buffer.buffer(flush ? 256 : 64);
    if (!headerWritten) {
      headerWritten = true;
      result.appendBytes(HEADER);
    }
    if (chunk.length() > 0) {
      byte[] in = chunk.getBytes();
      crc.update(in);
      size += in.length;
      deflater.setInput(in);
      drain(result, Deflater.NO_FLUSH);
    }
    if (flush) {
      drain(result, Deflater.SYNC_FLUSH);
    }
    return result;
  }

  /** Ends the stream: the last deflate block and the trailer; the deflater goes back to the pool. */
  Buffer finish() {
    Buffer result = Buffer.buffer(64);
    if (!headerWritten) {
      headerWritten = true;
      result.appendBytes(HEADER);
    }
    deflater.finish();
    while (!deflater.finished()) {
      int n = deflater.deflate(out);
      result.appendBytes(out, 0, n);
    }
    result.appendIntLE((int) crc.getValue()).appendIntLE((int) size);
    release();
    return result;
  }

  /** Returns the deflater to this thread's pool (or frees it) without finishing the stream. */
  void release() {
    Deflater d = deflater;
    if (d == null) {
      return;
    }
    deflater = null;
    d.reset();
    ArrayDeque<Deflater> pool = POOL.get()[level];
    if (pool.size() < POOLED_PER_LEVEL) {
      pool.push(d);
    } else {
      d.end();
    }
  }

  private void drain(Buffer result, int mode) {
    while (true) {
      int n = deflater.deflate(out, 0, out.length, mode);
      if (n > 0) {
        result.appendBytes(out, 0, n);
      }
      // Done when the input is used up and (for a flush) the output did not fill the buffer.
      if (n < out.length && deflater.needsInput()) {
        return;
      }
    }
  }
}
