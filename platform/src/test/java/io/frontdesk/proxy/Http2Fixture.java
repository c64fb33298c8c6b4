package io.frontdesk.proxy;

import static io.frontdesk.proxy.H2Wire.COMPRESSION_ERROR;
import static io.frontdesk.proxy.H2Wire.DATA;
import static io.frontdesk.proxy.H2Wire.END_HEADERS;
import static io.frontdesk.proxy.H2Wire.END_STREAM;
import static io.frontdesk.proxy.H2Wire.GOAWAY;
import static io.frontdesk.proxy.H2Wire.HEADERS;
import static io.frontdesk.proxy.H2Wire.PROTOCOL_ERROR;
import static io.frontdesk.proxy.H2Wire.RST_STREAM;
import static io.frontdesk.proxy.H2Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A node with a route to an echo backend for the HTTP/2 rule tests, and their shared steps. */
abstract class Http2Fixture {

  static TestNode node;
  static TestBackend backend;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    backend = TestBackend.start("h2-be");
    node.admin().simpleRoute("h2", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  H2Wire connect() throws IOException {
    return H2Wire.plain(node.proxyPort()).handshake();
  }

  int port() {
    return node.proxyPort();
  }

  /** Sends {@code fields} as a whole request on stream 1 and expects RST_STREAM PROTOCOL_ERROR, unforwarded. */
  void expectMalformed(String... fields) throws IOException {
    long before = backend.requests();
    try (H2Wire h2 = connect()) {
      h2.request(1, true, fields);
      assertThat(h2.awaitReset(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
      // A good request on the same connection still works, and it is the only one the backend sees.
      h2.request(3, true, get(port(), "/after"));
      assertThat(h2.awaitResponse(3).headers().status().toString()).isEqualTo("200");
    }
    assertThat(backend.requests()).isEqualTo(before + 1);
  }

  /** Reads the whole response of {@code stream} (up to its END_STREAM). */
  static void awaitEnd(H2Wire h2, int stream) throws IOException {
    h2.await("end of stream " + stream, f -> f.stream() == stream && (f.type() == DATA || f.type() == HEADERS)
        && f.has(END_STREAM));
  }

  /** Sends the usual request head followed by {@code tail} and expects GOAWAY COMPRESSION_ERROR. */
  void expectCompressionError(byte[] head, byte[] tail) throws IOException {
    try (H2Wire h2 = connect()) {
      byte[] block = java.util.Arrays.copyOf(head, head.length + tail.length);
      System.arraycopy(tail, 0, block, head.length, tail.length);
      h2.headers(1, END_HEADERS | END_STREAM, block);
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(COMPRESSION_ERROR);
    }
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  interface Send {
    void to(H2Wire h2) throws IOException;
  }

  void expectConnectionError(int code, Send send) throws IOException {
    try (H2Wire h2 = connect()) {
      send.to(h2);
      assertThat(h2.awaitGoAway().errorCode()).isEqualTo(code);
      h2.awaitClose();
    }
  }
}
