package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idle connections to the admin server are closed (--admin-idle-timeout), silent or kept alive. */
class AdminServerIdleTimeoutTest {

  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start("--admin-idle-timeout", "500ms");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() {
    try (RawHttp c = new RawHttp(node.node().adminPort())) {
      assertThat(c.closedWithin(15_000)).isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() {
    try (RawHttp c = new RawHttp(node.node().adminPort())) {
      String answer = c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readUntil("ok\n");
      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(c.closedWithin(15_000)).isTrue();
    }
  }
}
