package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests in flight per key, like nginx's limit_conn, in a real node with a slow backend. */
class ConcurrencyLimitTest {

  static FrontdeskTestKit fd;
  static Vertx vertx;
  static HttpServer slow;
  static final CapturedLog log = new CapturedLog();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // answers after ?ms= milliseconds
    slow = vertx.createHttpServer().requestHandler(req -> {
      String ms = req.getParam("ms");
      vertx.setTimer(ms == null ? 1 : Long.parseLong(ms), id -> req.response().end("ok"));
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fd = FrontdeskTestKit.builder().plugin("rate-limit", new RateLimitFilterFactory()).plugin("captured-log", log)
        .flag("--trusted-proxies", "127.0.0.1/32").start();
    fd.bind("captured-log", "global", null, null);
  }

  @AfterAll
  static void stop() {
    fd.close();
    vertx.close();
  }

  static JsonObject concurrency(int max, int status) {
    return new JsonObject().put("concurrency", new JsonArray().add(new JsonObject().put("key", "client-ip")
        .put("max", max).put("status", status)));
  }

  static List<Response> atOnce(int n, String path, String client) {
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(CompletableFuture.supplyAsync(() -> fd.get(path, "X-Forwarded-For", client)));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void requestsBeyondTheMaximumInFlightAreRefusedUntilOthersFinish() {
    fd.routeTo("inflight", "/inflight", slow.actualPort());
    fd.bind("rate-limit", "route", "inflight", concurrency(2, 429));
    List<Response> three = atOnce(3, "/inflight?ms=2000", "10.0.0.1");
    assertThat(three).extracting(Response::status).containsExactlyInAnyOrder(200, 200, 429);
    Response refused = three.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"client-ip 2 in flight\";q=2;qu=\"concurrent-requests\"");
    assertThat(refused.header("RateLimit")).isEqualTo("\"client-ip 2 in flight\";r=0");
    // another client is not held back; and once they finished, this one gets in again
    assertThat(fd.get("/inflight", "X-Forwarded-For", "10.0.0.2").status()).isEqualTo(200);
    Response again = fd.get("/inflight", "X-Forwarded-For", "10.0.0.1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("RateLimit")).isEqualTo("\"client-ip 2 in flight\";r=1");
  }

  @Test
  void theRefusalStatusMayBe503() {
    fd.routeTo("inflight503", "/inflight503", slow.actualPort());
    fd.bind("rate-limit", "route", "inflight503", concurrency(1, 503));
    assertThat(atOnce(2, "/inflight503?ms=2000", "10.1.0.1")).extracting(Response::status)
        .containsExactlyInAnyOrder(200, 503);
  }

  @Test
  void aClientThatGoesAwayGivesItsSlotBack() throws Exception {
    fd.routeTo("abandoned", "/abandoned", slow.actualPort());
    fd.bind("rate-limit", "route", "abandoned", concurrency(1, 429));
    var client = vertx.createHttpClient(new HttpClientOptions());
    var req = client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(fd.proxyUrl()
        + "/abandoned?ms=5000").putHeader("X-Forwarded-For", "10.2.0.1")).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    req.send();
    Thread.sleep(300);
    assertThat(fd.get("/abandoned", "X-Forwarded-For", "10.2.0.1").status()).isEqualTo(429); // still in flight
    req.connection().close(); // the client leaves mid-request
    awaitStatus("/abandoned", "10.2.0.1", 200);
    client.close();
  }

  @Test
  void aStreamResetWhileTheRequestWaitsForItsTurnGivesNothingAway() throws Exception {
    fd.routeTo("reset", "/reset", slow.actualPort());
    // requests with X-Turn: 12/m (one per 5 s), a burst of 1 delayed to its turn; 1 in flight per client
    fd.bind("rate-limit", "route", "reset", concurrency(1, 429).put("limits", new JsonArray().add(new JsonObject()
        .put("key", "header:X-Turn").put("rate", "12/m").put("burst", 1).put("delay", 0))));
    assertThat(fd.get("/reset", "X-Forwarded-For", "10.3.0.1", "X-Turn", "t").status()).isEqualTo(200);
    // over HTTP/2 (prior knowledge) the next one waits up to 5 s for its turn, and is reset meanwhile
    var h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    var req = h2.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(fd.proxyUrl() + "/reset")
        .putHeader("X-Forwarded-For", "10.3.0.1").putHeader("X-Turn", "t")).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    req.send();
    Thread.sleep(300);
    req.reset();
    var reset = log.await(r -> r.path().equals("/reset") && r.status() == 499);
    assertThat(reset.attributes().get("rate-limit.outcome")).startsWith("delayed");
    Thread.sleep(5200); // its turn came and went
    // had the reset request taken the client's one slot when its turn came, this would be refused
    assertThat(fd.get("/reset", "X-Forwarded-For", "10.3.0.1").status()).isEqualTo(200);
    h2.close();
  }

  static void awaitStatus(String path, String client, int status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int last;
    do {
      last = fd.get(path, "X-Forwarded-For", client).status();
      if (last == status) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertThat(last).isEqualTo(status);
  }
}
