package io.frontdesk.plugins.logsyslog;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A syslog collector on 127.0.0.1: UDP datagrams, or TCP with octet-counted frames (RFC 6587). */
final class SyslogReceiver implements AutoCloseable {

  final List<String> messages = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private DatagramSocket udp;
  private NetServer tcp;

  static SyslogReceiver udp() throws Exception {
    SyslogReceiver r = new SyslogReceiver();
    r.udp = r.vertx.createDatagramSocket().handler(p -> r.messages.add(p.data().toString(StandardCharsets.UTF_8)));
    r.udp.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return r;
  }

  static SyslogReceiver tcp(int port) throws Exception {
    SyslogReceiver r = new SyslogReceiver();
    r.tcp = r.vertx.createNetServer().connectHandler(socket -> {
      Buffer[] acc = {Buffer.buffer()};
      socket.handler(chunk -> {
        acc[0].appendBuffer(chunk);
        acc[0] = r.frames(acc[0]);
      });
    });
    r.tcp.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return r;
  }

  /** Takes the complete {@code LEN SP MSG} frames off the front; returns the rest. */
  private Buffer frames(Buffer b) {
    int pos = 0;
    while (true) {
      int space = -1;
      for (int i = pos; i < b.length() && i < pos + 10; i++) {
        if (b.getByte(i) == ' ') {
          space = i;
          break;
        }
      }
      if (space < 0) {
        break;
      }
      int len = Integer.parseInt(b.getString(pos, space));
      if (b.length() < space + 1 + len) {
        break;
      }
      messages.add(b.getString(space + 1, space + 1 + len, "UTF-8"));
      pos = space + 1 + len;
    }
    return b.getBuffer(pos, b.length());
  }

  int port() {
    return udp != null ? udp.localAddress().port() : tcp.actualPort();
  }

  List<String> await(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (messages.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return new ArrayList<>(messages);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
