package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkLinesTest {

  static int feed(ChunkLines c, String s) {
    return c.feed(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
  }

  @Test
  void aChunkSizeIsHexDigitsThenNothingOrAnExtension() {
    assertThat(ChunkLines.chunkSize("1a")).isEqualTo(26);
    assertThat(ChunkLines.chunkSize("3;name=value")).isEqualTo(3);
    assertThat(ChunkLines.chunkSize("3 \t;x")).isEqualTo(3);
    assertThat(ChunkLines.chunkSize("3 ")).isEqualTo(-1);
    assertThat(ChunkLines.chunkSize(" 3")).isEqualTo(-1);
    assertThat(ChunkLines.chunkSize("3 x")).isEqualTo(-1);
    assertThat(ChunkLines.chunkSize("")).isEqualTo(-1);
  }

  @Test
  void namesTheRequestWhoseChunkLineIsBrokenAcrossPipelinedRequestsAndSplitReads() {
    ChunkLines c = new ChunkLines();
    assertThat(feed(c, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel")).isZero();
    assertThat(feed(c, "loPOST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab")).isZero();
    assertThat(feed(c, "c\r\n0\r\nTrailer: t\r\n\r\nPOST /d HTTP/1.1\r\ntransfer-encoding: CHUNKED\r\n\r\n")).isZero();
    assertThat(feed(c, "3")).isZero();
    assertThat(feed(c, " \r\nabc\r\n0\r\n\r\n")).isEqualTo(4); // the fourth request
  }
}
