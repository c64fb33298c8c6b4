package io.frontdesk.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A bare HTTP/2 client for tests: writes frames exactly as given (valid or not) over a plain or TLS
 * socket and reads the server's frames one by one, so a test can check the very frame a rule asks for.
 * Header blocks are HPACK literals without indexing, in the order given, uppercase names included.
 */
final class H2Wire implements AutoCloseable {

  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int PRIORITY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PUSH_PROMISE = 5;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int CONTINUATION = 9;

  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;
  static final int PADDED = 0x8;

  static final int NO_ERROR = 0;
  static final int PROTOCOL_ERROR = 1;
  static final int FLOW_CONTROL_ERROR = 3;
  static final int STREAM_CLOSED = 5;
  static final int FRAME_SIZE_ERROR = 6;
  static final int REFUSED_STREAM = 7;
  static final int COMPRESSION_ERROR = 9;

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame from the server; {@code headers} is the decoded block of a HEADERS frame. */
  record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    /** @return the error code of a RST_STREAM or GOAWAY frame */
    int errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
          | (payload[at + 3] & 0xff);
    }

    @Override
    public String toString() {
      String what = switch (type) {
        case DATA -> "DATA";
        case HEADERS -> "HEADERS " + headers;
        case RST_STREAM -> "RST_STREAM code " + errorCode();
        case SETTINGS -> "SETTINGS";
        case PING -> "PING";
        case GOAWAY -> "GOAWAY code " + errorCode() + " " + new String(payload, 8, payload.length - 8,
            StandardCharsets.UTF_8);
        case WINDOW_UPDATE -> "WINDOW_UPDATE";
        default -> "type " + type;
      };
      return what + " stream " + stream + " flags " + flags + " length " + payload.length;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  /** Frames the handshake read past (e.g. the response to an upgraded request), handed out first. */
  private final ArrayDeque<Frame> unread = new ArrayDeque<>();

  private H2Wire(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** h2c with prior knowledge. */
  static H2Wire plain(int port) throws IOException {
    return new H2Wire(new Socket("127.0.0.1", port));
  }

  /** h2c by an HTTP/1.1 Upgrade of {@code GET path}, whose response then comes on stream 1. */
  static H2Wire upgraded(int port, String path) throws IOException {
    H2Wire w = new H2Wire(new Socket("127.0.0.1", port));
    w.raw(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = w.in.read();
      if (b < 0) {
        throw new EOFException("closed before the upgrade: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
    return w;
  }

  /** h2 over TLS, chosen by ALPN. */
  static H2Wire tls(int port, SSLContext context) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    s.setSSLParameters(p);
    s.startHandshake();
    if (!"h2".equals(s.getApplicationProtocol())) {
      throw new IOException("ALPN chose " + s.getApplicationProtocol());
    }
    return new H2Wire(s);
  }

  /**
   * Preface and an empty SETTINGS; answers the server's SETTINGS and waits for its ack of ours. Other
   * frames that come meanwhile are kept for {@link #read()}: after an upgrade the server may answer
   * stream 1 before it has read our preface.
   */
  H2Wire handshake() throws IOException {
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
    boolean serverSettings = false;
    boolean acked = false;
    while (!serverSettings || !acked) {
      Frame f = next();
      if (f == null) {
        throw new EOFException("closed during the handshake");
      }
      if (f.type() == SETTINGS && !f.has(ACK)) {
        serverSettings = true;
        frame(SETTINGS, ACK, 0, new byte[0]);
      } else if (f.type() == SETTINGS) {
        acked = true;
      } else {
        unread.add(f);
      }
    }
    return this;
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
        (byte) stream};
    out.write(head);
    out.write(payload);
    out.flush();
  }

  void headers(int stream, int flags, byte[] block) throws IOException {
    frame(HEADERS, flags, stream, block);
  }

  /** A complete request head: HEADERS with END_HEADERS, END_STREAM when {@code end}. */
  void request(int stream, boolean end, String... nameValues) throws IOException {
    headers(stream, END_HEADERS | (end ? END_STREAM : 0), block(nameValues));
  }

  void data(int stream, boolean end, byte[] bytes) throws IOException {
    frame(DATA, end ? END_STREAM : 0, stream, bytes);
  }

  void windowUpdate(int stream, int increment) throws IOException {
    frame(WINDOW_UPDATE, 0, stream, int32(increment));
  }

  void rst(int stream, int code) throws IOException {
    frame(RST_STREAM, 0, stream, int32(code));
  }

  void priority(int stream, int dependency, int weight) throws IOException {
    byte[] p = new byte[5];
    System.arraycopy(int32(dependency), 0, p, 0, 4);
    p[4] = (byte) weight;
    frame(PRIORITY, 0, stream, p);
  }

  static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** The usual request pseudo-headers for GET {@code path} to this port, then {@code extra}. */
  static String[] get(int port, String path, String... extra) {
    List<String> all = new ArrayList<>(List.of(":method", "GET", ":scheme", "http", ":path", path, ":authority",
        "127.0.0.1:" + port));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  /** HPACK literal header fields without indexing, new names, in this order. */
  static byte[] block(String... nameValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.write(0);
      string(b, nameValues[i]);
      string(b, nameValues[i + 1]);
    }
    return b.toByteArray();
  }

  private static void string(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    integer(b, 7, 0, bytes.length);
    b.writeBytes(bytes);
  }

  /** RFC 7541 5.1 integer with an {@code prefix}-bit prefix, {@code first} holding the other bits. */
  static void integer(ByteArrayOutputStream b, int prefix, int first, int value) {
    int max = (1 << prefix) - 1;
    if (value < max) {
      b.write(first | value);
      return;
    }
    b.write(first | max);
    value -= max;
    while (value >= 128) {
      b.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    b.write(value);
  }

  /** @return the next frame, or null once the server has closed the connection */
  Frame read() throws IOException {
    return unread.isEmpty() ? next() : unread.poll();
  }

  private Frame next() throws IOException {
    byte[] head = new byte[9];
    byte[] payload;
    try {
      in.readFully(head);
      payload = new byte[((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff)];
      in.readFully(payload);
    } catch (EOFException | java.net.SocketException e) {
      return null; // closed, or reset because our last bytes were left unread
    }
    int stream = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
    int type = head[3] & 0xff;
    Http2Headers decoded = null;
    if (type == HEADERS) {
      ByteBuf block = Unpooled.wrappedBuffer(payload);
      try {
        decoded = decoder.decodeHeaders(stream, block);
      } catch (Http2Exception e) {
        throw new IOException("server sent a header block we cannot decode", e);
      } finally {
        block.release();
      }
    }
    return new Frame(type, head[4] & 0xff, stream, payload, decoded);
  }

  /** Reads frames until one matches; fails on close or after 5 s of silence. */
  Frame await(String what, Predicate<Frame> match) throws IOException {
    List<Frame> seen = new ArrayList<>();
    while (true) {
      Frame f;
      try {
        f = read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no " + what + " within 5 s; saw " + seen);
      }
      if (f == null) {
        throw new AssertionError("connection closed before " + what + "; saw " + seen);
      }
      if (match.test(f)) {
        return f;
      }
      seen.add(f);
    }
  }

  /** @return the RST_STREAM for {@code stream} */
  Frame awaitReset(int stream) throws IOException {
    return await("RST_STREAM on stream " + stream, f -> f.type() == RST_STREAM && f.stream() == stream);
  }

  /** @return the GOAWAY */
  Frame awaitGoAway() throws IOException {
    return await("GOAWAY", f -> f.type() == GOAWAY);
  }

  /** @return the response HEADERS of {@code stream} */
  Frame awaitResponse(int stream) throws IOException {
    return await("response on stream " + stream, f -> f.type() == HEADERS && f.stream() == stream);
  }

  /** Reads until the server closes the connection (fails after 5 s of silence). */
  void awaitClose() throws IOException {
    while (true) {
      try {
        if (read() == null) {
          return;
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection still open after 5 s");
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
