package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests the proxy refuses as malformed are logged like any other, and never stop the log. */
class MalformedRequestLoggingTest {

  private static final List<String> MALFORMED = List.of(
      "garbage\r\n\r\n",
      "PRI * HTTP/1.1\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "GET\u0000/nul HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%00 HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u0000b\r\n\r\n",
      "\u00ff\u00fe\r\n\r\n");

  @Test
  void malformedRequestsAreStoredAndLaterRequestsToo() throws Exception {
    try (TestNode node = TestNode.start(); TestBackend backend = TestBackend.start("be")) {
      node.admin().simpleRoute("app", "*", backend.port());
      for (String m : MALFORMED) {
        try (RawHttp raw = new RawHttp(node.proxyPort())) {
          raw.send(m).readUntil("\r\n\r\n");
        }
      }
      for (int i = 0; i < 5; i++) {
        assertThat(Http.get(node.proxy() + "/after/" + i).status()).isEqualTo(200);
      }
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline && count(node, "path LIKE '/after/%'") < 5) {
        Thread.sleep(100);
      }
      assertThat(count(node, "path LIKE '/after/%'")).as("normal requests after the malformed ones").isEqualTo(5);
      assertThat(count(node, "status = 400 AND details IS NOT NULL")).as("the malformed requests, with what is known")
          .isEqualTo(MALFORMED.size());
      assertThat(count(node, "method = 'PRI' AND status = 400")).isEqualTo(1);
      assertThat(node.node().accessLog().spooled()).isZero();
      assertThat(node.node().accessLog().databaseUp()).isTrue();
      assertThat(node.node().accessLog().deadLettered()).isZero();
      JsonObject status = Http.Admin.expect(200, node.admin().get("/status")).json().getJsonObject("accessLog");
      assertThat(status.getBoolean("databaseReachable")).isTrue();
      assertThat(status.getLong("deadLettered")).isZero();
      assertThat(Http.get(node.adminBase() + "/metrics", Http.AUTH).body())
          .contains("frontdesk_access_log_dead_lettered_total");
    }
  }

  private static long count(TestNode node, String where) {
    return ((Number) TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM access_log WHERE " + where)).longValue();
  }
}
