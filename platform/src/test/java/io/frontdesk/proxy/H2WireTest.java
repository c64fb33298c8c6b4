package io.frontdesk.proxy;

import static io.frontdesk.proxy.H2Wire.ACK;
import static io.frontdesk.proxy.H2Wire.DATA;
import static io.frontdesk.proxy.H2Wire.END_HEADERS;
import static io.frontdesk.proxy.H2Wire.END_STREAM;
import static io.frontdesk.proxy.H2Wire.HEADERS;
import static io.frontdesk.proxy.H2Wire.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test client itself, against a scripted server socket that sends frames in a fixed order. */
class H2WireTest {

  /**
   * After an h2c upgrade the server may send the response of stream 1 right after its SETTINGS,
   * before it has read the client's preface (the proxy does so once its upstream connection is warm);
   * the handshake must leave that response for the test to read.
   */
  @Test
  void framesThatArriveDuringTheHandshakeAreKeptForTheTest() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          s.setSoTimeout(5000);
          DataInputStream in = new DataInputStream(s.getInputStream());
          in.readFully(new byte[H2Wire.PREFACE.length + 9]); // preface + the client's empty SETTINGS
          OutputStream out = s.getOutputStream();
          ByteArrayOutputStream frames = new ByteArrayOutputStream();
          frame(frames, SETTINGS, 0, 0, new byte[0]);
          frame(frames, HEADERS, END_HEADERS, 1, H2Wire.block(":status", "200"));
          frame(frames, DATA, END_STREAM, 1, "ok".getBytes(StandardCharsets.US_ASCII));
          frame(frames, SETTINGS, ACK, 0, new byte[0]);
          out.write(frames.toByteArray());
          out.flush();
          in.readFully(new byte[9]); // the client's ack of our SETTINGS
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try (H2Wire h2 = H2Wire.plain(server.getLocalPort()).handshake()) {
        assertThat(h2.awaitResponse(1).headers().status().toString()).isEqualTo("200");
        H2Wire.Frame body = h2.await("body", f -> f.type() == DATA && f.stream() == 1);
        assertThat(new String(body.payload(), StandardCharsets.US_ASCII)).isEqualTo("ok");
      }
      script.get(5, TimeUnit.SECONDS);
    }
  }

  private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
    out.writeBytes(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
        (byte) stream});
    out.writeBytes(payload);
  }
}
