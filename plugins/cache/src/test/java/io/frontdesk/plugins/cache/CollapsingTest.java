package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent misses of one URL through a real node: one fetch, the others wait on it. */
class CollapsingTest {

  static FrontdeskTestKit fd;
  static Origin origin;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    origin = new Origin();
    fd = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).start();
    fd.routeTo("origin", "/", origin.port());
    fd.routeTo("short", "/short", origin.port());
    fd.bind("cache", "route", "origin", new JsonObject());
    fd.bind("cache", "route", "short", new JsonObject().put("collapse", new JsonObject().put("timeoutMs", 300)));
  }

  @AfterAll
  static void stop() {
    fd.close();
    origin.close();
  }

  static List<CompletableFuture<HttpResponse<String>>> concurrently(String path, int n) {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(fd.proxyUrl() + path)).timeout(Duration.ofSeconds(20))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    return all;
  }

  static void awaitCalls(String path, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (origin.calls(path) < n) {
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void concurrentMissesMakeOneFetchAndShareItsResponse() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    String body = "x".repeat(200_000);
    origin.on("/one", Reply.of(200, body, "Cache-Control", "max-age=600").when(gate));
    List<CompletableFuture<HttpResponse<String>>> all = concurrently("/one", 6);
    awaitCalls("/one", 1);
    Thread.sleep(300); // the others have arrived and wait
    assertThat(origin.calls("/one")).isEqualTo(1);
    gate.complete(null);
    int collapsed = 0;
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(body);
      String cs = r.headers().firstValue("cache-status").orElse("");
      if (cs.contains("collapsed")) {
        collapsed++;
        assertThat(cs).contains("fwd=uri-miss; fwd-status=200");
      }
    }
    assertThat(collapsed).isEqualTo(5);
    assertThat(origin.calls("/one")).isEqualTo(1);
    assertThat(fd.get("/one").header("cache-status")).startsWith("Frontdesk; hit");
  }

  @Test
  void whenTheSharedFetchIsNotStorableTheWaitingRequestsGoThemselves() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    origin.on("/private", (n, req) -> Reply.of(200, "for " + n, "Cache-Control", "private").when(gate));
    List<CompletableFuture<HttpResponse<String>>> all = concurrently("/private", 4);
    awaitCalls("/private", 1);
    Thread.sleep(300);
    gate.complete(null);
    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      bodies.add(f.get(20, TimeUnit.SECONDS).body());
    }
    assertThat(bodies).containsExactlyInAnyOrder("for 1", "for 2", "for 3", "for 4");
  }

  @Test
  void aWaitPastItsBoundGoesToTheOrigin() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    origin.on("/short/slow", Reply.of(200, "slow", "Cache-Control", "max-age=600").when(gate));
    List<CompletableFuture<HttpResponse<String>>> all = concurrently("/short/slow", 3);
    awaitCalls("/short/slow", 3); // the two waiting gave up after 300 ms and came themselves
    gate.complete(null);
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow");
    }
  }
}
