package io.frontdesk.plugins.compression;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.filter.LocalResponseException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a request body chunk by chunk, refusing it with 413 as soon as the output passes
 * {@code maxBytes} (a decompression bomb never gets inflated further) and with 400 when it is not
 * valid data of its coding.
 */
abstract class Decompressor implements BodyTransformer {

  private static final int OUT = 64 * 1024;

  private final long maxBytes;
  private long produced;

  Decompressor(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  static Decompressor of(Coding coding, long maxBytes) {
    if (!coding.available()) {
      throw new IllegalStateException(coding.token + " is unavailable: " + coding.unavailableReason());
    }
    return switch (coding) {
      case GZIP -> new Gzip(maxBytes);
      case BR -> new Brotli(maxBytes);
      case ZSTD -> new Zstd(maxBytes);
    };
  }

  /** Appends output, counting it against the limit. */
  final void emit(Buffer out, byte[] b, int off, int len) {
    produced += len;
    if (produced > maxBytes) {
      abort();
      throw new LocalResponseException(LocalResponse.of(413,
          "the decompressed request body exceeds " + maxBytes + " bytes"));
    }
    out.appendBytes(b, off, len);
  }

  final void emit(Buffer out, ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    emit(out, a, 0, a.length);
  }

  final LocalResponseException corrupt(String what) {
    abort();
    return new LocalResponseException(LocalResponse.of(400, "the request body is not valid " + what));
  }

  /** gzip (RFC 1952), several members allowed; the header is parsed here, the data inflated by the JDK. */
  static final class Gzip extends Decompressor {
    private static final int MAX_HEADER = 64 * 1024;

    private enum State { HEADER, BODY, TRAILER }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[OUT];
    private byte[] in = new byte[0];
    private int inPos;
    private int inLen;
    private State state = State.HEADER;
    private long memberSize;
    private int members;

    Gzip(long maxBytes) {
      super(maxBytes);
    }

    @Override
    public Buffer transform(Buffer chunk) {
      append(chunk.getBytes());
      Buffer result = Buffer.buffer();
      try {
        while (step(result)) {
          // until it needs more input
        }
      } catch (DataFormatException e) {
        throw corrupt("gzip data (" + e.getMessage() + ")");
      }
      return result;
    }

    /** @return whether to go on */
    private boolean step(Buffer result) throws DataFormatException {
      switch (state) {
        case HEADER -> {
          if (inPos == inLen) {
            return false;
          }
          int h = headerLength(in, inPos, inLen);
          if (h < 0) {
            if (inLen - inPos > MAX_HEADER) {
              throw corrupt("gzip data (header too long)");
            }
            return false;
          }
          inPos += h;
          inflater.reset();
          crc.reset();
          memberSize = 0;
          state = State.BODY;
          return true;
        }
        case BODY -> {
          if (inflater.needsInput()) {
            if (inPos == inLen) {
              return false;
            }
            inflater.setInput(in, inPos, inLen - inPos);
            inPos = inLen; // the inflater holds them now; what it does not use comes back below
          }
          int n = inflater.inflate(out);
          if (n > 0) {
            crc.update(out, 0, n);
            memberSize += n;
            emit(result, out, 0, n);
            return true;
          }
          if (inflater.finished()) {
            inPos -= inflater.getRemaining();
            state = State.TRAILER;
            return true;
          }
          if (inflater.needsDictionary()) {
            throw corrupt("gzip data (needs a dictionary)");
          }
          return inflater.needsInput() && inPos < inLen;
        }
        default -> {
          if (inLen - inPos < 8) {
            return false;
          }
          long storedCrc = le32(in, inPos);
          long storedSize = le32(in, inPos + 4);
          if (storedCrc != crc.getValue() || storedSize != (memberSize & 0xffffffffL)) {
            throw corrupt("gzip data (checksum mismatch)");
          }
          inPos += 8;
          members++;
          state = State.HEADER;
          return true;
        }
      }
    }

    @Override
    public Buffer finish() {
      boolean complete = state == State.HEADER && inPos == inLen;
      inflater.end();
      if (!complete) {
        throw corrupt("gzip data (truncated)");
      }
      return Buffer.buffer();
    }

    @Override
    public void abort() {
      inflater.end();
    }

    private void append(byte[] b) {
      if (inPos == inLen) {
        inPos = 0;
        inLen = 0;
      }
      if (state == State.BODY && !inflater.needsInput()) {
        // cannot happen: each transform runs the inflater until it needs input
        throw new IllegalStateException("inflater still holds input");
      }
      int keep = inLen - inPos;
      byte[] n = new byte[keep + b.length];
      System.arraycopy(in, inPos, n, 0, keep);
      System.arraycopy(b, 0, n, keep, b.length);
      in = n;
      inPos = 0;
      inLen = n.length;
    }

    /** @return the header's length, or -1 when more bytes are needed */
    private int headerLength(byte[] b, int from, int to) {
      int len = to - from;
      if (len >= 1 && (b[from] & 0xff) != 0x1f || len >= 2 && (b[from + 1] & 0xff) != 0x8b
          || len >= 3 && b[from + 2] != 8) {
        throw corrupt("gzip data (bad header)");
      }
      if (len < 10) {
        return -1;
      }
      int flags = b[from + 3] & 0xff;
      int p = from + 10;
      if ((flags & 4) != 0) { // FEXTRA
        if (to - p < 2) {
          return -1;
        }
        p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
      }
      for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
        if ((flags & bit) != 0) {
          while (p < to && b[p] != 0) {
            p++;
          }
          if (p >= to) {
            return -1;
          }
          p++;
        }
      }
      if ((flags & 2) != 0) { // FHCRC
        p += 2;
      }
      return p <= to ? p - from : -1;
    }

    private static long le32(byte[] b, int p) {
      return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }
  }

  /** brotli (RFC 7932) through brotli4j's streaming decoder. */
  static final class Brotli extends Decompressor {
    private final DecoderJNI.Wrapper decoder;
    private boolean done;
    private boolean destroyed;

    Brotli(long maxBytes) {
      super(maxBytes);
      try {
        decoder = new DecoderJNI.Wrapper(OUT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Buffer transform(Buffer chunk) {
      Buffer result = Buffer.buffer();
      byte[] b = chunk.getBytes();
      int off = 0;
      while (off < b.length) {
        if (done) {
          throw corrupt("brotli data (bytes after the end)");
        }
        ByteBuffer input = decoder.getInputBuffer();
        input.clear();
        int n = Math.min(input.capacity(), b.length - off);
        input.put(b, off, n);
        off += n;
        decoder.push(n);
        drain(result);
      }
      return result;
    }

    private void drain(Buffer result) {
      while (true) {
        switch (decoder.getStatus()) {
          case NEEDS_MORE_INPUT -> {
            return;
          }
          case DONE -> {
            if (decoder.hasOutput()) {
              emit(result, decoder.pull());
            }
            done = true;
            return;
          }
          case NEEDS_MORE_OUTPUT -> emit(result, decoder.pull());
          case OK -> decoder.push(0);
          default -> throw corrupt("brotli data");
        }
      }
    }

    @Override
    public Buffer finish() {
      boolean complete = done;
      abort();
      if (!complete) {
        throw corrupt("brotli data (truncated)");
      }
      return Buffer.buffer();
    }

    @Override
    public void abort() {
      if (!destroyed) {
        destroyed = true;
        decoder.destroy();
      }
    }
  }

  /** zstd (RFC 8878), several frames allowed, through zstd-jni's streaming context. */
  static final class Zstd extends Decompressor {
    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    private final ByteBuffer out = ByteBuffer.allocateDirect(OUT);
    private ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
    private boolean frameDone = true;
    private boolean sawData;
    private boolean closed;

    Zstd(long maxBytes) {
      super(maxBytes);
    }

    @Override
    public Buffer transform(Buffer chunk) {
      Buffer result = Buffer.buffer();
      if (chunk.length() == 0) {
        return result;
      }
      sawData = true;
      if (in.capacity() < chunk.length()) {
        in = ByteBuffer.allocateDirect(chunk.length());
      }
      in.clear();
      in.put(chunk.getBytes()).flip();
      try {
        boolean full;
        do {
          out.clear();
          frameDone = ctx.decompressDirectByteBufferStream(out, in);
          full = !out.hasRemaining();
          out.flip();
          if (out.hasRemaining()) {
            emit(result, out);
          }
        } while (in.hasRemaining() || full);
      } catch (LocalResponseException e) {
        throw e;
      } catch (RuntimeException e) {
        throw corrupt("zstd data (" + e.getMessage() + ")");
      }
      return result;
    }

    @Override
    public Buffer finish() {
      boolean complete = frameDone || !sawData;
      abort();
      if (!complete) {
        throw corrupt("zstd data (truncated)");
      }
      return Buffer.buffer();
    }

    @Override
    public void abort() {
      if (!closed) {
        closed = true;
        ctx.close();
      }
    }
  }
}
