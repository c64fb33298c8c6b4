package io.frontdesk.plugins.compression;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.frontdesk.api.filter.BodyTransformer;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Compresses a response body chunk by chunk. The encoder keeps only its window and buffers, so
 * memory stays bounded whatever the body's size; what it emits for a chunk goes out at once. With
 * {@code flushEachChunk} every chunk is flushed through (server-sent events stay incremental), at
 * a small cost in ratio.
 */
final class Compressor implements BodyTransformer {

  /** Brotli's window: 2^19 = 512 KiB (the format allows 16 MiB; this bounds memory per response). */
  static final int BROTLI_WINDOW = 19;

  private final Output sink = new Output();
  /** brotli and zstd: their library's stream; null for gzip. */
  private final OutputStream encoder;
  /** gzip: a pooled deflater; null otherwise. */
  private final GzipEncoder gzip;
  private final boolean flushEachChunk;
  private boolean closed;

  Compressor(Coding coding, int level, boolean flushEachChunk) {
    if (!coding.available()) {
      throw new IllegalStateException(coding.token + " is unavailable: " + coding.unavailableReason());
    }
    this.flushEachChunk = flushEachChunk;
    this.gzip = coding == Coding.GZIP ? new GzipEncoder(level) : null;
    try {
      this.encoder = switch (coding) {
        case GZIP -> null;
        case BR -> new BrotliOutputStream(sink, new Encoder.Parameters().setQuality(level).setWindow(BROTLI_WINDOW),
            16 * 1024);
        case ZSTD -> new ZstdOutputStreamNoFinalizer(sink, level);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Buffer transform(Buffer chunk) {
    if (gzip != null) {
      return gzip.encode(chunk, flushEachChunk);
    }
    try {
      if (chunk.length() > 0) {
        encoder.write(chunk.getBytes());
        if (flushEachChunk) {
          encoder.flush();
        }
      }
      return sink.take();
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Buffer finish() {
    closed = true;
    if (gzip != null) {
      return gzip.finish();
    }
    try {
      encoder.close();
      return sink.take();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frees the encoder (native memory for brotli and zstd) when the exchange ends early. */
  @Override
  public void abort() {
    if (!closed) {
      closed = true;
      if (gzip != null) {
        gzip.release();
        return;
      }
      try {
        encoder.close();
      } catch (IOException | RuntimeException ignored) {
        // the output is discarded anyway
      }
    }
  }

  /** Collects what the encoder writes until the transformer hands it on. */
  private static final class Output extends OutputStream {
    private Buffer buf = Buffer.buffer(512);

    @Override
    public void write(int b) {
      buf.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buf.appendBytes(b, off, len);
    }

    /** @return what was written since the last take, never a buffer that is still written to */
    Buffer take() {
      if (buf.length() == 0) {
        return Buffer.buffer(0);
      }
      Buffer b = buf;
      buf = Buffer.buffer(Math.max(512, Math.min(b.length(), 64 * 1024)));
      return b;
    }
  }
}
