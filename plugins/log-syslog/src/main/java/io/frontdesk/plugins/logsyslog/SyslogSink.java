package io.frontdesk.plugins.logsyslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats records as RFC 5424 and sends them; keeps up to 10,000 while a TCP peer is away. */
final class SyslogSink implements LogSink {

  private static final Logger log = LoggerFactory.getLogger(SyslogSink.class);
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_PENDING = 10_000;
  private static final int MAX_UDP_BYTES = 8192;

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final boolean tcp;
  private final int facility;
  private final String appName;
  private final String hostname;
  private DatagramSocket udp;
  private NetClient netClient;
  private NetSocket socket;
  private boolean connecting;
  private boolean closed;
  private long backoff = 250;
  private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();

  SyslogSink(Vertx vertx, String host, int port, String protocol, int facility, String appName, String hostname) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.tcp = protocol.equals("tcp");
    this.facility = facility;
    this.appName = appName;
    this.hostname = hostname;
  }

  @Override
  public void accept(AccessLogRecord r) {
    String msg = format(r);
    if (!tcp) {
      if (udp == null) {
        udp = vertx.createDatagramSocket();
      }
      udp.send(Buffer.buffer(truncate(msg.getBytes(StandardCharsets.UTF_8), MAX_UDP_BYTES)), port, host)
          .onFailure(e -> dropped.incrementAndGet());
      return;
    }
    byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
    Buffer framed = Buffer.buffer(bytes.length + 8).appendString(bytes.length + " ").appendBytes(bytes);
    if (socket != null && pending.isEmpty() && !socket.writeQueueFull()) {
      socket.write(framed);
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      pending.poll();
      dropped.incrementAndGet();
    }
    pending.add(framed);
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    if (socket != null) {
      drainPending();
      return;
    }
    if (connecting) {
      return;
    }
    connecting = true;
    if (netClient == null) {
      netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000).setTcpKeepAlive(true));
    }
    netClient.connect(port, host).onComplete(ar -> {
      connecting = false;
      if (ar.failed()) {
        log.debug("log-syslog: cannot reach {}:{} ({}); retrying in {} ms", host, port, ar.cause().getMessage(), backoff);
        vertx.setTimer(backoff, id -> connect());
        backoff = Math.min(backoff * 2, 30_000);
        return;
      }
      backoff = 250;
      NetSocket s = ar.result();
      socket = s;
      s.closeHandler(v -> {
        if (socket == s) {
          socket = null;
        }
      });
      s.exceptionHandler(e -> s.close());
      s.drainHandler(v -> drainPending());
      drainPending();
    });
  }

  private void drainPending() {
    while (socket != null && !pending.isEmpty() && !socket.writeQueueFull()) {
      socket.write(pending.poll());
    }
  }

  /** Cuts a datagram to {@code max} bytes without splitting a UTF-8 character. */
  static byte[] truncate(byte[] bytes, int max) {
    if (bytes.length <= max) {
      return bytes;
    }
    int n = max;
    while (n > 0 && (bytes[n] & 0xC0) == 0x80) {
      n--;
    }
    return Arrays.copyOf(bytes, n);
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  /** {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG}, the record as JSON in MSG. */
  String format(AccessLogRecord r) {
    int severity = r.status() >= 500 ? 3 : r.status() >= 400 ? 4 : 6;
    StringBuilder sb = new StringBuilder(512);
    sb.append('<').append(facility * 8 + severity).append(">1 ").append(TS.format(r.timestamp())).append(' ')
        .append(hostname).append(' ').append(appName).append(" - access [frontdesk@32473");
    param(sb, "requestId", r.requestId());
    param(sb, "site", r.site());
    param(sb, "route", r.route());
    param(sb, "status", Integer.toString(r.status()));
    param(sb, "durationMicros", Long.toString(r.durationMicros()));
    sb.append("] ").append(r.toJson().encode());
    return sb.toString();
  }

  private static void param(StringBuilder sb, String name, String value) {
    if (value == null) {
      return;
    }
    sb.append(' ').append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (dropped.get() > 0) {
      log.warn("log-syslog: {} records dropped ({}:{} unreachable)", dropped.get(), host, port);
    }
    Future<Void> done = Future.succeededFuture();
    if (socket != null) {
      drainPending();
      done = socket.end();
    }
    if (udp != null) {
      done = udp.close();
    }
    return done.eventually(() -> netClient == null ? Future.succeededFuture() : netClient.close());
  }
}
