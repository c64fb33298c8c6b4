package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits on connections and on how long a request head may take to arrive. */
class ConnectionLimitsTest {

  @Test
  void aHeadTricklingInIsCutOffAfterTheHeaderTimeoutButAnIdleKeepAliveIsNot() throws Exception {
    try (TestNode node = TestNode.start("--header-timeout", "1s");
        TestBackend backend = TestBackend.start("hd")) {
      node.admin().simpleRoute("hd", "*", backend.port());
      try (RawHttp c = new RawHttp(node.proxyPort())) {
        c.send("GET /slow HTTP/1.1\r\n");
        String answer = "";
        for (int i = 0; i < 40 && !answer.contains("408"); i++) { // a byte every 250 ms, bounded
          Thread.sleep(250);
          try {
            c.send("X");
          } catch (RuntimeException closed) {
            break;
          }
          if (c.closedWithin(1)) {
            break;
          }
        }
        answer = c.readAll();
        assertThat(answer).startsWith("HTTP/1.1 408");
      }
      try (RawHttp silent = new RawHttp(node.proxyPort())) {
        assertThat(silent.closedWithin(8_000)).isTrue(); // a connection that never sends a head
      }
      try (RawHttp c = new RawHttp(node.proxyPort())) {
        c.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.readUntil("\"uri\":\"/first\"")).startsWith("HTTP/1.1 200");
        Thread.sleep(1_500); // idle between requests: the keep-alive timeout applies, not the header timeout
        c.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.readUntil("\"uri\":\"/second\"")).contains("\"uri\":\"/second\"");
      }
    }
  }

  @Test
  void connectionsOverTheLimitsAreClosedAtOnce() {
    try (TestNode node = TestNode.start("--max-connections-per-client", "3")) {
      List<RawHttp> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawHttp c = new RawHttp(node.proxyPort());
          open.add(c);
          c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
          assertThat(c.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 404");
        }
        try (RawHttp fourth = new RawHttp(node.proxyPort())) {
          assertThat(fourth.closedWithin(5_000)).isTrue();
        }
        open.remove(0).close();
        waitUntil(() -> node.node().proxy().openConnections() <= 2);
        try (RawHttp again = new RawHttp(node.proxyPort())) {
          again.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
          assertThat(again.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 404");
        }
      } finally {
        open.forEach(RawHttp::close);
      }
    }
    try (TestNode node = TestNode.start("--max-connections", "2")) {
      try (RawHttp a = new RawHttp(node.proxyPort()); RawHttp b = new RawHttp(node.proxyPort());
          RawHttp c = new RawHttp(node.proxyPort())) {
        a.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(a.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(c.closedWithin(5_000) || b.closedWithin(5_000)).isTrue();
      }
      assertThat(node.node().proxy().refusedConnections()).isGreaterThanOrEqualTo(1);
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
