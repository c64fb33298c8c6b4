package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Per-second traffic, merged over every node sharing the database, streamed as server-sent events. */
class LiveTrafficTest {

  @Test
  void streamsPerSecondSamplesOfEveryNodeAndListsTheNodes() throws Exception {
    TestBackend backend = TestBackend.start("live");
    try (TestNode a = TestNode.start(); TestNode b = TestNode.onDatabase(a.dbUrl())) {
      a.admin().simpleRoute("live", "*", backend.port());
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService load = Executors.newFixedThreadPool(2);
      for (TestNode n : new TestNode[] {a, b}) {
        load.submit(() -> {
          for (int i = 0; running.get() && i < 100_000; i++) {
            Http.get(n.proxy() + (i % 10 == 0 ? "/status/500" : "/ok"));
          }
        });
      }
      HttpResponse<java.io.InputStream> sse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(a.admin().base() + "/live/stream")).headers(Http.AUTH).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
      JsonObject merged = null;
      Set<String> nodesSeen = new HashSet<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        String line;
        while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
          if (line.startsWith("data: ")) {
            JsonObject s = new JsonObject(line.substring(6));
            s.getJsonArray("nodes").forEach(n -> nodesSeen.add(((JsonObject) n).getString("node")));
            if (s.getJsonArray("nodes").size() == 2 && s.getJsonObject("all").getLong("requests") > 0) {
              merged = s;
              break;
            }
          }
        }
      }
      running.set(false);
      load.shutdown();
      load.awaitTermination(30, TimeUnit.SECONDS);
      assertThat(nodesSeen).containsExactlyInAnyOrder(a.node().settings().nodeId(), b.node().settings().nodeId());
      assertThat(merged).isNotNull();
      JsonObject all = merged.getJsonObject("all");
      assertThat(all.getLong("s2xx")).isPositive();
      assertThat(all.getLong("s5xx")).isPositive();
      assertThat(all.getLong("p99")).isPositive();
      assertThat(merged.getJsonArray("routes").getJsonObject(0).getString("name")).isEqualTo("live");
      assertThat(merged.getJsonArray("targets").getJsonObject(0).getString("name"))
          .isEqualTo("live/127.0.0.1:" + backend.port());
      JsonArray history = a.admin().get("/live?seconds=30").json().getJsonArray("samples");
      assertThat(history).isNotEmpty();

      JsonArray nodes = a.admin().get("/nodes").json().getJsonArray("items");
      assertThat(nodes).hasSize(2);
      for (Object o : nodes) {
        JsonObject n = (JsonObject) o;
        assertThat(n.getBoolean("alive")).isTrue();
        assertThat(n.getBoolean("upToDate")).isTrue();
        assertThat(n.getLong("configVersion")).isEqualTo(a.node().reloader().appliedVersion());
      }
    } finally {
      backend.close();
    }
  }
}
