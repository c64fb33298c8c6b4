package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connections to one target per event loop are limited; requests beyond the limit wait for one. */
class UpstreamConnectionPoolTest {

  private static void route(TestNode node, TestBackend backend, int connectTimeoutMs) {
    Http.Admin.expect(201, node.admin().post("/upstreams", new JsonObject().put("name", "be")
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    Http.Admin.expect(201, node.admin().post("/sites", new JsonObject().put("name", "s").put("hosts",
        new JsonArray().add("*"))));
    Http.Admin.expect(201, node.admin().post("/routes", new JsonObject().put("name", "r").put("site", "s")
        .put("upstream", "be")));
  }

  private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String url) {
    return client.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** @return the details the access log holds for the first request answered with {@code status} */
  private static String loggedDetails(TestNode node, int status) throws InterruptedException {
    for (int i = 0; i < 100; i++) { // the log writer stores a batch within a fraction of a second
      JsonArray items = Http.Admin.expect(200, node.admin().get("/logs?status=" + status)).json().getJsonArray("items");
      if (!items.isEmpty()) {
        return items.getJsonObject(0).getString("details");
      }
      Thread.sleep(100);
    }
    return "";
  }

  @Test
  void requestsBeyondTheLimitWaitAndAreServedOverTheConnectionsItAllows() throws Exception {
    try (TestNode node = TestNode.start("--event-loops", "1", "--upstream-connections", "2");
        TestBackend backend = TestBackend.start("pool")) {
      route(node, backend, 3_000);
      int before = backend.connections();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        replies.add(send(client, node.proxy() + "/slow/200"));
      }
      for (CompletableFuture<HttpResponse<String>> r : replies) {
        assertThat(r.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(backend.connections() - before).as("connections the proxy opened").isLessThanOrEqualTo(2);
      assertThat(backend.requests()).isGreaterThanOrEqualTo(8);
    }
  }

  @Test
  void aRequestThatFindsNoFreeConnectionInTimeGets503AndTheTargetIsNotBlamed() throws Exception {
    try (TestNode node = TestNode.start("--event-loops", "1", "--upstream-connections", "1");
        TestBackend backend = TestBackend.start("full")) {
      route(node, backend, 300);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> holder = send(client, node.proxy() + "/slow/2500");
      Thread.sleep(300); // the only connection is taken
      long t0 = System.nanoTime();
      HttpResponse<String> waited = send(client, node.proxy() + "/second").get(10, TimeUnit.SECONDS);
      assertThat(waited.statusCode()).isEqualTo(503);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
      assertThat(loggedDetails(node, 503)).contains("no free connection within 300 ms");
      assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // the target was not counted as failing: it serves at once
      for (int i = 0; i < 5; i++) {
        assertThat(Http.get(node.proxy() + "/after").status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aWebSocketLeavesThePoolSoItDoesNotKeepItsPlace() throws Exception {
    try (TestNode node = TestNode.start("--event-loops", "1", "--upstream-connections", "1");
        TestBackend backend = TestBackend.start("ws")) {
      route(node, backend, 300);
      io.vertx.core.http.WebSocketClient ws = TestBackend.vertx().createWebSocketClient();
      try {
        var socket = ws.connect(new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1")
            .setPort(node.proxyPort()).setURI("/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) { // the tunnel stays open meanwhile
          assertThat(Http.get(node.proxy() + "/plain").status()).isEqualTo(200);
        }
        socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } finally {
        ws.close();
      }
    }
  }
}
