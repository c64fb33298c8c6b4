package io.frontdesk.proxy;

import static io.frontdesk.proxy.H2Wire.DATA;
import static io.frontdesk.proxy.H2Wire.END_HEADERS;
import static io.frontdesk.proxy.H2Wire.END_STREAM;
import static io.frontdesk.proxy.H2Wire.GOAWAY;
import static io.frontdesk.proxy.H2Wire.HEADERS;
import static io.frontdesk.proxy.H2Wire.PROTOCOL_ERROR;
import static io.frontdesk.proxy.H2Wire.RST_STREAM;
import static io.frontdesk.proxy.H2Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * RFC 9113 section 8 on the h2c port (and once over TLS and once after an upgrade): a malformed
 * request gets RST_STREAM PROTOCOL_ERROR, never reaches the backend, and never stays open.
 */
class Http2MalformedRequestTest extends Http2Fixture {

  @Test
  void requestWithoutMethodIsResetAndNotForwarded() throws IOException {
    expectMalformed(":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port());
  }

  @Test
  void requestWithoutSchemeIsResetAndNotForwarded() throws IOException {
    expectMalformed(":method", "GET", ":path", "/", ":authority", "127.0.0.1:" + port());
  }

  @Test
  void requestWithoutPathIsResetAndNotForwarded() throws IOException {
    expectMalformed(":method", "GET", ":scheme", "http", ":authority", "127.0.0.1:" + port());
  }

  @Test
  void requestWithOnlyPathAndAuthorityIsReset() throws IOException {
    expectMalformed(":path", "/", ":authority", "127.0.0.1:" + port());
  }

  @Test
  void requestWithEmptyPathIsReset() throws IOException {
    expectMalformed(":method", "GET", ":scheme", "http", ":path", "", ":authority", "127.0.0.1:" + port());
  }

  @Test
  void methodPathOrAuthorityThatWouldBreakTheForwardedRequestIsReset() throws IOException {
    expectMalformed(":method", "G ET", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port());
    expectMalformed(":method", "GET", ":scheme", "http", ":path", "/a b", ":authority", "127.0.0.1:" + port());
    expectMalformed(":method", "GET", ":scheme", "http", ":path", "/a\u007f", ":authority", "127.0.0.1:" + port());
    expectMalformed(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "user@127.0.0.1:" + port());
    expectMalformed(":method", "GET", ":scheme", "http", ":path", "relative", ":authority", "127.0.0.1:" + port());
    expectMalformed(get(port(), "/", "x-test", "a\r\nx-injected: 1"));
    expectMalformed(get(port(), "/", "x-test", " padded"));
  }

  @Test
  void duplicatePseudoHeadersAreReset() throws IOException {
    expectMalformed(get(port(), "/", ":method", "GET"));
    expectMalformed(get(port(), "/", ":scheme", "http"));
    expectMalformed(get(port(), "/", ":path", "/"));
  }

  @Test
  void unknownOrResponsePseudoHeadersAreReset() throws IOException {
    expectMalformed(get(port(), "/", ":test", "ok"));
    expectMalformed(get(port(), "/", ":status", "200"));
  }

  @Test
  void pseudoHeaderAfterRegularHeaderIsReset() throws IOException {
    expectMalformed("x-test", "ok", ":method", "GET", ":scheme", "http", ":path", "/", ":authority",
        "127.0.0.1:" + port());
  }

  @Test
  void uppercaseHeaderNameIsReset() throws IOException {
    expectMalformed(get(port(), "/", "X-TEST", "ok"));
  }

  @Test
  void connectionSpecificHeadersAreReset() throws IOException {
    for (String name : new String[] {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "upgrade"}) {
      expectMalformed(get(port(), "/", name, "keep-alive"));
    }
  }

  @Test
  void teOtherThanTrailersIsResetAndTrailersIsServed() throws IOException {
    expectMalformed(get(port(), "/", "te", "trailers, deflate"));
    try (H2Wire h2 = connect()) {
      h2.request(1, true, get(port(), "/te", "te", "trailers"));
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
    }
  }

  @Test
  void hostThatDiffersFromAuthorityIsReset() throws IOException {
    expectMalformed(get(port(), "/", "host", "elsewhere.example"));
  }

  @Test
  void pseudoHeaderInTrailersIsReset() throws IOException {
    long before = backend.requests();
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port());
      h2.data(1, false, "test".getBytes(StandardCharsets.US_ASCII));
      h2.headers(1, END_HEADERS | END_STREAM, H2Wire.block(":method", "POST"));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
    assertThat(backend.requests() - before).isLessThanOrEqualTo(1); // the head may have left already
  }

  @Test
  void secondHeadersWithoutEndStreamIsReset() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port());
      h2.data(1, false, "test".getBytes(StandardCharsets.US_ASCII));
      h2.headers(1, END_HEADERS, H2Wire.block("x-test", "ok"));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
  }

  @Test
  void contentLengthNotMatchingDataIsReset() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port(),
          "content-length", "1");
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port(),
          "content-length", "8");
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }
  }

  @Test
  void malformedStreamsDoNotAccumulate() throws IOException {
    long before = backend.requests();
    try (H2Wire h2 = connect()) {
      int last = 0;
      for (int i = 0, stream = 1; i < 300; i++, stream += 2) {
        h2.request(stream, true, ":path", "/", ":authority", "127.0.0.1:" + port());
        last = stream;
      }
      // Each one is reset (a few may be refused while the others are still being reset).
      java.util.Set<Integer> reset = new java.util.HashSet<>();
      while (reset.size() < 300) {
        H2Wire.Frame f = h2.await("RST_STREAM", x -> x.type() == RST_STREAM);
        assertThat(f.errorCode()).as(f.toString()).isIn(PROTOCOL_ERROR, H2Wire.REFUSED_STREAM);
        reset.add(f.stream());
      }
      int good = last + 2;
      h2.request(good, true, get(port(), "/good"));
      assertThat(h2.awaitResponse(good).headers().status().toString()).isEqualTo("200");
    }
    assertThat(backend.requests()).isEqualTo(before + 1);
  }

  @Test
  void headerListPastTheLimitIsAnswered431AndNotForwarded() throws IOException {
    long before = backend.requests();
    try (H2Wire h2 = connect()) {
      String big = "x".repeat(10_000);
      String[] fields = get(port(), "/big", "x-a", big, "x-b", big, "x-c", big, "x-d", big, "x-e", big, "x-f", big,
          "x-g", big);
      byte[] block = H2Wire.block(fields);
      // Split into HEADERS + CONTINUATION frames of 16 KiB (the largest frame a server must take).
      int at = 0;
      boolean first = true;
      while (at < block.length) {
        int n = Math.min(16_384, block.length - at);
        byte[] part = java.util.Arrays.copyOfRange(block, at, at + n);
        at += n;
        int flags = (at == block.length ? END_HEADERS : 0) | (first ? END_STREAM : 0);
        h2.frame(first ? HEADERS : H2Wire.CONTINUATION, flags, 1, part);
        first = false;
      }
      H2Wire.Frame f = h2.await("answer", x -> x.stream() == 1 || x.type() == GOAWAY);
      assertThat(f.type() == HEADERS ? f.headers().status().toString() : f.toString()).isEqualTo("431");
      h2.request(3, true, get(port(), "/after"));
      assertThat(h2.awaitResponse(3).headers().status().toString()).isEqualTo("200");
    }
    assertThat(backend.requests()).isEqualTo(before + 1);
  }

  @Test
  void upgradedConnectionsRejectMalformedStreamsToo() throws IOException {
    long before = backend.requests();
    try (H2Wire h2 = H2Wire.upgraded(port(), "/upgrade").handshake()) {
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
      h2.request(3, true, ":method", "GET", ":path", "/", ":authority", "127.0.0.1:" + port());
      assertThat(h2.awaitReset(3).errorCode()).isEqualTo(PROTOCOL_ERROR);
      h2.request(5, true, get(port(), "/after"));
      assertThat(h2.awaitResponse(5).headers().status().toString()).isEqualTo("200");
    }
    assertThat(backend.requests()).isEqualTo(before + 2);
  }

  @Test
  void tlsStreamWithoutSchemeIsResetAndNotForwarded() throws Exception {
    io.frontdesk.testing.TestCertificates certs = io.frontdesk.testing.TestCertificates.selfSigned("localhost");
    try (TestNode tls = TestNode.start("--https-port", "0", "--tls-cert", certs.cert().toString(), "--tls-key",
        certs.key().toString())) {
      tls.admin().simpleRoute("h2tls", "*", backend.port());
      int port = tls.node().httpsPort();
      long before = backend.requests();
      try (H2Wire h2 = H2Wire.tls(port, certs.clientContext()).handshake()) {
        h2.request(1, true, ":method", "GET", ":path", "/", ":authority", "localhost:" + port);
        assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
        h2.request(3, true, ":method", "GET", ":scheme", "https", ":path", "/tls", ":authority", "localhost:" + port);
        assertThat(h2.awaitResponse(3).headers().status().toString()).isEqualTo("200");
      }
      assertThat(backend.requests()).isEqualTo(before + 1);
      try (H2Wire h2 = H2Wire.tls(port, certs.clientContext())) {
        h2.raw("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        h2.awaitClose();
      }
    }
  }

  @Test
  void headAndPostWithTrailersAreAnswered() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, true, ":method", "HEAD", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port());
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
      awaitEnd(h2, 1);
      h2.request(3, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port(),
          "trailer", "x-test");
      h2.data(3, false, "test".getBytes(StandardCharsets.US_ASCII));
      h2.headers(3, END_HEADERS | END_STREAM, H2Wire.block("x-test", "ok"));
      assertThat(h2.awaitResponse(3).headers().status().toString()).isEqualTo("200");
      awaitEnd(h2, 3);
    }
  }

  @Test
  void dataFrameIsServedBody() throws IOException {
    try (H2Wire h2 = connect()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/", ":authority", "127.0.0.1:" + port(),
          "content-length", "4");
      h2.data(1, true, "test".getBytes(StandardCharsets.US_ASCII));
      assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
      H2Wire.Frame body = h2.await("body", f -> f.type() == DATA && f.stream() == 1);
      assertThat(new String(body.payload(), StandardCharsets.UTF_8)).contains("\"bodyBytes\":4");
    }
  }
}
