package io.frontdesk.plugins.loghttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batches POSTed to a real collector: formats, retries with back-off, and the bounded buffer. */
class HttpLogSinkTest {

  static FrontdeskTestKit fd;
  String binding;

  @BeforeAll
  static void start() {
    fd = FrontdeskTestKit.builder().plugin("log-http", new HttpLogSinkFactory()).start();
    fd.routeToBackend("app", "/");
  }

  @AfterAll
  static void stop() {
    fd.close();
  }

  @AfterEach
  void unbind() {
    if (binding != null) {
      fd.admin("DELETE", "/plugins/log-http/bindings/" + binding, null);
    }
  }

  static List<String> send(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FrontdeskTestKit.Response r = fd.get("/p/" + i);
      assertThat(r.status()).isEqualTo(200); // whatever the collector does, traffic flows
      ids.add(r.header("x-request-id"));
    }
    return ids;
  }

  static List<String> ids(List<String> lines) {
    return lines.stream().map(l -> new JsonObject(l).getString("requestId")).toList();
  }

  @Test
  void ndjsonBatchesCarryEveryRecordInOrderWithTheConfiguredHeaders() throws Exception {
    try (Collector c = new Collector()) {
      binding = fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("batchSize", 5)
          .put("flushIntervalMs", 100).put("headers", new JsonObject().put("Authorization", "Bearer s3cret")));
      List<String> sent = send(12);
      c.await(x -> x.acceptedLines().size() >= 12);
      assertThat(ids(c.acceptedLines())).containsExactlyElementsOf(sent);
      assertThat(c.posts).allSatisfy(p -> {
        assertThat(p.headers().get("content-type")).isEqualTo("application/x-ndjson");
        assertThat(p.headers().get("authorization")).isEqualTo("Bearer s3cret");
        assertThat(p.body().split("\n").length).isBetween(1, 5);
      });
    }
  }

  @Test
  void elasticsearchBulkPairsAnActionWithEachDocument() throws Exception {
    try (Collector c = new Collector()) {
      binding = fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("format", "elasticsearch")
          .put("index", "edge-logs").put("flushIntervalMs", 50));
      List<String> sent = send(3);
      c.await(x -> x.acceptedLines().size() >= 6);
      List<String> lines = c.acceptedLines();
      assertThat(lines).hasSize(6);
      List<String> docs = new ArrayList<>();
      for (int i = 0; i < lines.size(); i += 2) {
        assertThat(new JsonObject(lines.get(i)).getJsonObject("index").getString("_index")).isEqualTo("edge-logs");
        docs.add(lines.get(i + 1));
      }
      assertThat(ids(docs)).containsExactlyElementsOf(sent);
    }
  }

  @Test
  void failedBatchesAreRetriedWithBackoffAndArriveOnceInOrder() throws Exception {
    try (Collector c = new Collector()) {
      c.script.add(503);
      c.script.add(500);
      binding = fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("batchSize", 4)
          .put("flushIntervalMs", 50));
      List<String> sent = send(8);
      c.await(x -> x.acceptedLines().size() >= 8);
      assertThat(ids(c.acceptedLines())).containsExactlyElementsOf(sent);
      assertThat(c.posts.subList(0, 2)).extracting(Collector.Post::answeredWith).containsExactly(503, 500);
      // The first retry waited for the back-off rather than hammering the collector.
      assertThat(c.posts.size()).isLessThan(10);
    }
  }

  @Test
  void aRefusedBatchIsDroppedNotRetried() throws Exception {
    try (Collector c = new Collector()) {
      c.script.add(400);
      binding = fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("batchSize", 2)
          .put("flushIntervalMs", 50));
      List<String> sent = send(4);
      c.await(x -> x.acceptedLines().size() >= 2);
      Thread.sleep(300);
      assertThat(ids(c.acceptedLines())).containsExactlyElementsOf(sent.subList(2, 4));
      assertThat(sinkCounters().getLong("dropped")).isEqualTo(2);
    }
  }

  @Test
  void whileTheCollectorIsDownTheBufferKeepsTheNewestRecordsAndCountsTheRest() throws Exception {
    try (Collector c = new Collector()) {
      c.fallback = 503;
      CompletableFuture<Void> firstAnswer = c.hold(); // the first batch stays in flight while traffic goes on
      binding = fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("batchSize", 5)
          .put("flushIntervalMs", 50).put("maxBufferRecords", 10));
      List<String> sent = send(30);
      Thread.sleep(200);
      firstAnswer.complete(null); // 503: the batch comes back, older than everything buffered
      c.await(x -> !x.posts.isEmpty());
      c.fallback = 200;
      c.await(x -> x.acceptedLines().size() >= 10);
      Thread.sleep(300);
      assertThat(ids(c.acceptedLines())).containsExactlyElementsOf(sent.subList(20, 30));
      assertThat(sinkCounters().getLong("dropped")).isEqualTo(20);
    }
  }

  @Test
  void aBadUrlIsRefusedWithTheField() {
    FrontdeskTestKit.Response r = fd.admin("POST", "/plugins/log-http/bindings", new JsonObject().put("scope", "global")
        .put("config", new JsonObject().put("url", "ftp://x").put("batchSize", 0)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("url").contains("batchSize");
  }

  static JsonObject sinkCounters() {
    return fd.admin("GET", "/status", null).json().getJsonObject("logSinks").getJsonObject("log-http");
  }
}
