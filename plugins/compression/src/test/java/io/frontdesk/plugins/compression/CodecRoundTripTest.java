package io.frontdesk.plugins.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.filter.LocalResponseException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CodecRoundTripTest {

  @ParameterizedTest(name = "{0} level {1}")
  @CsvSource({"GZIP,1", "GZIP,6", "GZIP,9", "BR,0", "BR,4", "BR,11", "ZSTD,1", "ZSTD,3", "ZSTD,19"})
  void compressedChunksDecodeToTheOriginalWithTheRealDecoders(Coding coding, int level) throws IOException {
    byte[] original = Text.bytes(300_000, level);
    for (boolean flush : new boolean[] {false, true}) {
      byte[] compressed = run(new Compressor(coding, level, flush), original, 7_777);
      assertThat(compressed.length).as("compressed size").isLessThan(original.length / 2);
      assertThat(decode(coding, compressed)).isEqualTo(original);
    }
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void anEmptyBodyIsAValidStream(Coding coding) throws IOException {
    byte[] compressed = run(new Compressor(coding, coding.defaultLevel, false), new byte[0], 100);
    assertThat(decode(coding, compressed)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void flushingEachChunkMakesEveryChunkDecodableAtOnce(Coding coding) throws IOException {
    Compressor c = new Compressor(coding, coding.defaultLevel, true);
    ByteArrayOutputStream soFar = new ByteArrayOutputStream();
    soFar.writeBytes(c.transform(Buffer.buffer("data: one\n\n")).getBytes());
    // Decoding what has come out so far (without the end of the stream) yields the first event.
    assertThat(new String(decodePrefix(coding, soFar.toByteArray(), 11))).isEqualTo("data: one\n\n");
    c.abort();
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void requestBodiesDecompressFromTheReferenceEncoders(Coding coding) throws IOException {
    byte[] original = Text.bytes(200_000, 99);
    byte[] compressed = encode(coding, original);
    assertThat(run(Decompressor.of(coding, 1_000_000), compressed, 1000)).isEqualTo(original);
    assertThat(run(Decompressor.of(coding, 1_000_000), compressed, 1)).as("one byte at a time").isEqualTo(original);
  }

  @Test
  void gzipWithSeveralMembersAndHeaderFieldsDecompresses() throws IOException {
    byte[] a = encode(Coding.GZIP, "first ".getBytes());
    byte[] b = encode(Coding.GZIP, "second".getBytes());
    // A member with FEXTRA, FNAME and FCOMMENT, as `gzip -N` and some libraries write them.
    byte[] c = encode(Coding.GZIP, " third".getBytes());
    ByteArrayOutputStream fancy = new ByteArrayOutputStream();
    fancy.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16, 0, 0, 0, 0, 0, 3, 3, 0, 'a', 'b', 'c'});
    fancy.writeBytes("name.txt\0a comment\0".getBytes());
    fancy.write(c, 10, c.length - 10);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(a);
    all.writeBytes(b);
    all.writeBytes(fancy.toByteArray());
    assertThat(new String(run(Decompressor.of(Coding.GZIP, 1000), all.toByteArray(), 3))).isEqualTo("first second third");
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void aDecompressionBombIsRefusedWith413BeforeItIsInflated(Coding coding) throws IOException {
    byte[] bomb = encode(coding, new byte[64 * 1024 * 1024]); // 64 MiB of zeros
    assertThat(bomb.length).isLessThan(200_000);
    Decompressor d = Decompressor.of(coding, 1024 * 1024);
    assertThatThrownBy(() -> d.transform(Buffer.buffer(bomb)))
        .isInstanceOfSatisfying(LocalResponseException.class, e -> assertThat(e.response().status()).isEqualTo(413));
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void corruptOrTruncatedBodiesAreRefusedWith400(Coding coding) throws IOException {
    byte[] good = encode(coding, Text.bytes(50_000, 5));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
    Decompressor d = Decompressor.of(coding, 1_000_000);
    d.transform(Buffer.buffer(truncated));
    assertThatThrownBy(d::finish)
        .isInstanceOfSatisfying(LocalResponseException.class, e -> assertThat(e.response().status()).isEqualTo(400));
    byte[] garbage = Text.bytes(5000, 1);
    Decompressor g = Decompressor.of(coding, 1_000_000);
    assertThatThrownBy(() -> {
      g.transform(Buffer.buffer(garbage));
      g.finish();
    }).isInstanceOfSatisfying(LocalResponseException.class, e -> assertThat(e.response().status()).isEqualTo(400));
  }

  /** Feeds {@code input} in chunks of {@code chunk} bytes, as the proxy does, and collects the output. */
  static byte[] run(BodyTransformer t, byte[] input, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < input.length; off += chunk) {
      int n = Math.min(chunk, input.length - off);
      out.writeBytes(t.transform(Buffer.buffer().appendBytes(input, off, n)).getBytes());
    }
    out.writeBytes(t.finish().getBytes());
    return out.toByteArray();
  }

  static byte[] decode(Coding coding, byte[] data) throws IOException {
    try (InputStream in = decoder(coding, new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    }
  }

  private static byte[] decodePrefix(Coding coding, byte[] data, int n) throws IOException {
    InputStream in = incrementalDecoder(coding, new ByteArrayInputStream(data));
    return in.readNBytes(n);
  }

  /**
   * A decoder that hands out whatever it can decode from the bytes received so far.
   * BrotliInputStream waits for more input before returning output it already has, so brotli is
   * read here through brotli4j's low-level decoder.
   */
  static InputStream incrementalDecoder(Coding coding, InputStream in) throws IOException {
    if (coding != Coding.BR) {
      return decoder(coding, in);
    }
    DecoderJNI.Wrapper d = new DecoderJNI.Wrapper(16 * 1024);
    return new InputStream() {
      private ByteBuffer out = ByteBuffer.allocate(0);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (!out.hasRemaining()) {
          if (d.hasOutput()) {
            out = d.pull();
            continue;
          }
          switch (d.getStatus()) {
            case DONE -> {
              return -1;
            }
            case OK -> d.push(0);
            case NEEDS_MORE_INPUT -> {
              byte[] buf = new byte[16 * 1024];
              int n = in.read(buf);
              if (n < 0) {
                throw new IOException("brotli stream ended early");
              }
              d.getInputBuffer().clear();
              d.getInputBuffer().put(buf, 0, n);
              d.push(n);
            }
            default -> throw new IOException("brotli decoder: " + d.getStatus());
          }
        }
        int n = Math.min(len, out.remaining());
        out.get(b, off, n);
        return n;
      }
    };
  }

  static InputStream decoder(Coding coding, InputStream in) throws IOException {
    return switch (coding) {
      case GZIP -> new GZIPInputStream(in);
      case BR -> new BrotliInputStream(in);
      case ZSTD -> new ZstdInputStream(in);
    };
  }

  static byte[] encode(Coding coding, byte[] data) throws IOException {
    return switch (coding) {
      case GZIP -> {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
          g.write(data);
        }
        yield b.toByteArray();
      }
      case BR -> Encoder.compress(data);
      case ZSTD -> Zstd.compress(data);
    };
  }
}
