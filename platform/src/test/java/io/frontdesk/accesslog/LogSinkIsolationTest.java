package io.frontdesk.accesslog;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A log sink that blocks its thread holds up only itself, never the proxy's event loops. */
class LogSinkIsolationTest {

  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Blocks in accept() until the test lets it go (a sink stuck writing to a dead disk or socket). */
  final class Blocking implements LogSinkFactory {
    @Override
    public LogSink create(JsonObject config, PluginContext context) {
      return r -> {
        entered.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
    }
  }

  @Test
  void requestsCompleteWhileALogSinkBlocks() throws Exception {
    try (TestNode node = TestNode.start(); TestBackend backend = TestBackend.start("be")) {
      try {
        node.node().pluginHost().registerInProcess("blocking", "1",
            new PluginRegistry.Extensions(null, new Blocking(), List.of()));
        node.admin().simpleRoute("app", "*", backend.port());
        expect(201, node.admin().post("/plugins/blocking/bindings", new JsonObject().put("scope", "global")));
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (entered.getCount() > 0 && System.nanoTime() < deadline) {
          get(node, "/warm-up"); // until the sink has its first record and is stuck on it
          entered.await(100, TimeUnit.MILLISECONDS);
        }
        assertThat(entered.getCount()).as("the sink got a record and blocks").isZero();
        // Fresh connections land on every proxy event loop in turn; each must be served.
        for (int i = 0; i < 12; i++) {
          assertThat(get(node, "/while-blocked/" + i)).as("request " + i).startsWith("HTTP/1.1 200");
        }
        assertThat(release.getCount()).as("the sink is still blocked").isEqualTo(1);
      } finally {
        release.countDown();
      }
    }
  }

  /** One request on a new connection; what came back within the socket's 10 s read timeout. */
  private static String get(TestNode node, String path) {
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      return raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readAll();
    }
  }
}
