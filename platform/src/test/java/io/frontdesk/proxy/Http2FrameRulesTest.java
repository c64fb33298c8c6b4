package io.frontdesk.proxy;

import static io.frontdesk.proxy.H2Wire.COMPRESSION_ERROR;
import static io.frontdesk.proxy.H2Wire.DATA;
import static io.frontdesk.proxy.H2Wire.END_HEADERS;
import static io.frontdesk.proxy.H2Wire.END_STREAM;
import static io.frontdesk.proxy.H2Wire.FRAME_SIZE_ERROR;
import static io.frontdesk.proxy.H2Wire.GOAWAY;
import static io.frontdesk.proxy.H2Wire.HEADERS;
import static io.frontdesk.proxy.H2Wire.PING;
import static io.frontdesk.proxy.H2Wire.PROTOCOL_ERROR;
import static io.frontdesk.proxy.H2Wire.RST_STREAM;
import static io.frontdesk.proxy.H2Wire.STREAM_CLOSED;
import static io.frontdesk.proxy.H2Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * RFC 9113 frame and stream-state rules and RFC 7541 on the h2c port, frame by frame: each broken
 * stream or connection gets the error the RFC names, and nothing reaches Netty's pipeline tail.
 */
class Http2FrameRulesTest extends Http2Fixture {

  @Test
  void dataOnHalfClosedStreamIsStreamClosedError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, true, get(port(), "/slow/500"));
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      H2Wire.Frame f = h2.await("error", x -> x.type() == RST_STREAM && x.stream() == 1 || x.type() == GOAWAY);
      assertThat(f.errorCode()).isEqualTo(STREAM_CLOSED);
    }
  }

  @Test
  void framesAfterTheClientsResetAreStreamClosedErrors() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, get(port(), "/slow/500"));
      h2.rst(1, 8);
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(STREAM_CLOSED);
    }
    try (H2Wire h2 = connect()) {
      h2.request(1, false, get(port(), "/slow/500"));
      h2.rst(1, 8);
      h2.request(1, true, get(port(), "/"));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(STREAM_CLOSED);
    }
  }

  @Test
  void headersOnHalfClosedStreamIsStreamClosedError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, true, get(port(), "/slow/500"));
      h2.request(1, true, get(port(), "/slow/500"));
      H2Wire.Frame f = h2.await("error", x -> x.type() == RST_STREAM && x.stream() == 1 || x.type() == GOAWAY);
      assertThat(f.errorCode()).isEqualTo(STREAM_CLOSED);
    }
  }

  @Test
  void dataOrHeadersOnAStreamTheClientEndedAndThatClosedIsConnectionError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, true, get(port(), "/"));
      awaitEnd(h2, 1);
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(STREAM_CLOSED);
      h2.awaitClose();
    }
    try (H2Wire h2 = connect()) {
      h2.request(1, true, get(port(), "/"));
      awaitEnd(h2, 1);
      h2.request(1, true, get(port(), "/"));
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(STREAM_CLOSED);
      h2.awaitClose();
    }
  }

  @Test
  void streamsStillServeTrailersAndBodiesAfterOthersClose() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/a", ":authority", "127.0.0.1:" + port());
      h2.request(3, true, get(port(), "/b"));
      awaitEnd(h2, 3);
      h2.data(1, false, "test".getBytes(StandardCharsets.US_ASCII));
      h2.headers(1, END_HEADERS | END_STREAM, H2Wire.block("x-trailer", "ok"));
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
      awaitEnd(h2, 1);
    }
  }

  @Test
  void priorityFrameOfWrongSizeIsFrameSizeError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, get(port(), "/slow/200"));
      h2.frame(H2Wire.PRIORITY, 0, 1, new byte[4]);
      H2Wire.Frame f = h2.await("error", x -> x.type() == RST_STREAM && x.stream() == 1 || x.type() == GOAWAY);
      assertThat(f.errorCode()).isEqualTo(FRAME_SIZE_ERROR);
    }
  }

  @Test
  void streamDependingOnItselfIsReset() throws IOException {
    try (H2Wire h2 = connect()) {
      byte[] block = H2Wire.block(get(port(), "/"));
      byte[] payload = new byte[5 + block.length];
      System.arraycopy(H2Wire.int32(1), 0, payload, 0, 4);
      payload[4] = 15;
      System.arraycopy(block, 0, payload, 5, block.length);
      h2.frame(HEADERS, END_HEADERS | END_STREAM | 0x20, 1, payload);
      H2Wire.Frame f = h2.await("error", x -> x.type() == RST_STREAM && x.stream() == 1 || x.type() == GOAWAY);
      assertThat(f.errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
  }

  @Test
  void zeroWindowUpdateOnStreamIsResetAndOnConnectionIsGoAway() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, get(port(), "/slow/200"));
      h2.windowUpdate(1, 0);
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
    try (H2Wire h2 = connect()) {
      h2.windowUpdate(0, 0);
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(PROTOCOL_ERROR);
      h2.awaitClose();
    }
  }

  @Test
  void decreasingStreamIdIsGoAway() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(5, true, get(port(), "/"));
      h2.request(3, true, get(port(), "/"));
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
  }

  @Test
  void invalidPrefaceClosesTheConnection() throws IOException {
    try (H2Wire h2 = H2Wire.plain(port())) {
      h2.raw("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      h2.awaitClose();
    }
  }

  @Test
  void unknownFrameTypesAreIgnored() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.frame(0xff, 0, 0, new byte[] {1, 2, 3});
      h2.frame(PING, 0, 0, new byte[8]);
      assertThat(h2.await("PING ack", f -> f.type() == PING).has(H2Wire.ACK)).isTrue();
    }
  }

  @Test
  void hpackIndexOutOfRangeIsCompressionError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.headers(1, END_HEADERS | END_STREAM, new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}); // index 16510
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(COMPRESSION_ERROR);
    }
  }

  @Test
  void connectionFramesAndResetsDoNotReachThePipelineTail() throws Exception {
    ch.qos.logback.classic.Logger pipelineLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.netty.channel.DefaultChannelPipeline");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    ch.qos.logback.classic.Level level = pipelineLog.getLevel();
    pipelineLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
    pipelineLog.addAppender(seen);
    try {
      try (H2Wire h2 = connect()) {
        h2.frame(PING, 0, 0, new byte[8]);
        h2.frame(0xff, 0, 0, new byte[] {1, 2, 3});
        h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 3, 0, 0, 0, 100}); // MAX_CONCURRENT_STREAMS 100
        h2.request(1, true, get(port(), "/logs"));
        h2.awaitResponse(1);
        h2.frame(PING, 0, 0, new byte[8]);
        h2.await("PING ack", f -> f.type() == PING);
        h2.frame(GOAWAY, 0, 0, new byte[8]);
      }
      try (H2Wire h2 = connect()) {
        h2.request(1, false, get(port(), "/slow/300"));
        h2.windowUpdate(1, 0); // a stream error
        h2.awaitReset(1);
      } // and a connection dropped with nothing said
      try (H2Wire h2 = connect()) {
        h2.frame(PING, 0, 0, new byte[8]);
        h2.await("PING ack", f -> f.type() == PING);
      }
      // A last full exchange, so the events of the connections above have been handled.
      try (H2Wire h2 = connect()) {
        h2.request(1, true, get(port(), "/last"));
        h2.awaitResponse(1);
      }
    } finally {
      pipelineLog.detachAppender(seen);
      pipelineLog.setLevel(level);
    }
    assertThat(seen.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains("tail of the pipeline"));
  }

  @Test
  void expectContinueIsAnsweredWith100OnceTheRequestIsAccepted() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/sink", ":authority",
          "127.0.0.1:" + port(), "expect", "100-continue", "content-length", "5");
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("100");
      h2.data(1, true, "hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
    }
  }

  @Test
  void responseFollowsTheClientsFlowControlWindow() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0}); // INITIAL_WINDOW_SIZE 0
      h2.request(1, true, get(port(), "/bytes/10"));
      h2.awaitResponse(1);
      h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 1}); // now 1
      H2Wire.Frame data = h2.await("DATA", f -> f.type() == DATA && f.stream() == 1);
      assertThat(data.payload()).hasSize(1);
    }
  }

  @Test
  void streamsPastTheConcurrencyLimitAreRefused() throws Exception {
    try (TestNode small = TestNode.start("--h2-max-concurrent-streams", "3")) {
      small.admin().simpleRoute("h2small", "*", backend.port());
      try (H2Wire h2 = H2Wire.plain(small.proxyPort()).handshake()) {
        h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0}); // hold every response body
        for (int stream = 1; stream <= 7; stream += 2) {
          h2.request(stream, true, get(small.proxyPort(), "/bytes/10"));
        }
        assertThat(h2.awaitReset(7).errorCode()).isEqualTo(H2Wire.REFUSED_STREAM);
      }
    }
  }

  @Test
  void windowUpdatePastTheMaximumIsFlowControlError() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, get(port(), "/slow/300"));
      h2.windowUpdate(1, 0x7fffffff);
      h2.windowUpdate(1, 0x7fffffff);
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(H2Wire.FLOW_CONTROL_ERROR);
    }
    try (H2Wire h2 = connect()) {
      h2.windowUpdate(0, 0x7fffffff);
      h2.windowUpdate(0, 0x7fffffff);
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(H2Wire.FLOW_CONTROL_ERROR);
    }
  }

  @Test
  void negativeStreamWindowIsTracked() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 3});
      h2.request(1, true, get(port(), "/bytes/10"));
      assertThat(h2.await("DATA", f -> f.type() == DATA && f.stream() == 1).payload()).hasSize(3);
      h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 2}); // window now -1
      h2.windowUpdate(1, 2);
      assertThat(h2.await("DATA", f -> f.type() == DATA && f.stream() == 1).payload()).hasSize(1);
    }
  }

  @Test
  void badHuffmanStringsAreCompressionErrors() throws IOException {
    byte[] head = H2Wire.block(get(port(), "/"));
    // x-test: test, Huffman-coded: padded past 7 bits, padded with zeros, containing EOS.
    expectCompressionError(head, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x84, 0x49, 0x50, 0x9f, 0xff));
    expectCompressionError(head, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x84, 0xff, 0x83, 0x49, 0x50, 0x90));
    expectCompressionError(head, bytes(0x00, 0x85, 0xf2, 0xb2, 0x4a, 0x87, 0xff, 0xff, 0xff, 0xfd, 0x25, 0x42, 0x7f));
  }

  @Test
  void dynamicTableSizeUpdatesOutOfPlaceOrTooLargeAreCompressionErrors() throws IOException {
    java.io.ByteArrayOutputStream update = new java.io.ByteArrayOutputStream();
    H2Wire.integer(update, 5, 0x20, 4096);
    expectCompressionError(H2Wire.block(get(port(), "/")), update.toByteArray()); // not at the start
    java.io.ByteArrayOutputStream tooLarge = new java.io.ByteArrayOutputStream();
    H2Wire.integer(tooLarge, 5, 0x20, 4097);
    expectCompressionError(tooLarge.toByteArray(), H2Wire.block(get(port(), "/")));
  }

  @Test
  void framesThatBreakTheConnectionRulesGetGoAwayAndClose() throws IOException {
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.data(1, true, new byte[4])); // DATA on an idle stream
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.rst(1, 8)); // RST_STREAM on an idle stream
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.windowUpdate(1, 100)); // WINDOW_UPDATE on an idle stream
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.request(2, true, get(port(), "/"))); // even stream id
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.frame(PING, 0, 1, new byte[8])); // PING on a stream
    expectConnectionError(FRAME_SIZE_ERROR, h2 -> h2.frame(PING, 0, 0, new byte[6]));
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.frame(GOAWAY, 0, 1, new byte[8]));
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.frame(H2Wire.PUSH_PROMISE, END_HEADERS, 1,
        java.util.Arrays.copyOf(H2Wire.int32(2), 4))); // clients cannot push
    expectConnectionError(PROTOCOL_ERROR, h2 -> h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 2, 0, 0, 0, 2}));
    expectConnectionError(FRAME_SIZE_ERROR, h2 -> h2.frame(H2Wire.SETTINGS, 0, 0, new byte[] {0, 3, 0, 0, 0}));
    expectConnectionError(PROTOCOL_ERROR, h2 -> { // CONTINUATION after END_HEADERS
      h2.request(1, false, get(port(), "/slow/200"));
      h2.frame(H2Wire.CONTINUATION, END_HEADERS, 1, H2Wire.block("x-test", "ok"));
    });
    expectConnectionError(PROTOCOL_ERROR, h2 -> { // another frame inside a header block
      h2.headers(1, END_STREAM, H2Wire.block(get(port(), "/")));
      h2.frame(0xff, 0, 1, new byte[4]);
    });
  }
}
