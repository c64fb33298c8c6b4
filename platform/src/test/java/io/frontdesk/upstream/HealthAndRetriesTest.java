package io.frontdesk.upstream;

import static io.frontdesk.testing.Http.Admin.expect;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Targets that die and come back, under load: retries, ejection, active checks, slow start, circuits. */
class HealthAndRetriesTest {

  static JsonArray targets(TestBackend... bs) {
    JsonArray a = new JsonArray();
    for (TestBackend b : bs) {
      a.add(new JsonObject().put("host", "127.0.0.1").put("port", b.port()));
    }
    return a;
  }

  static void route(TestNode node, String name, JsonObject upstream) {
    expect(201, node.admin().post("/upstreams", upstream.put("name", name)));
    expect(201, node.admin().post("/sites", new JsonObject().put("name", name).put("hosts", new JsonArray().add(name + ".test"))));
    expect(201, node.admin().post("/routes", new JsonObject().put("name", name).put("site", name).put("upstream", name)));
  }

  /** Load from a few threads; records failures and which backend answered, per 250 ms slot. */
  static final class Load implements AutoCloseable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong ok = new AtomicLong();
    final List<Long> failureTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    final Map<Long, Map<String, AtomicLong>> slots = new ConcurrentHashMap<>();
    final long t0 = System.nanoTime();
    final ExecutorService pool = Executors.newFixedThreadPool(6);

    Load(String url, String host) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 6; i++) {
        pool.submit(() -> {
          for (int n = 0; running.get() && n < 500_000; n++) {
            try {
              HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Host", host)
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
                long slot = (System.nanoTime() - t0) / 250_000_000L;
                slots.computeIfAbsent(slot, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(r.headers().firstValue("x-backend").orElse("?"), k -> new AtomicLong())
                    .incrementAndGet();
              } else {
                fail(r.statusCode() + " " + r.body());
              }
            } catch (Exception e) {
              fail(e.toString());
            }
          }
        });
      }
    }

    void fail(String what) {
      failureTimes.add(System.nanoTime());
      firstFailure.compareAndSet(null, what);
    }

    /** @return share of {@code backend} in the answers of slots [from, to) (250 ms each) */
    double share(String backend, long fromSlot, long toSlot) {
      long mine = 0;
      long all = 0;
      for (long s = fromSlot; s < toSlot; s++) {
        Map<String, AtomicLong> m = slots.getOrDefault(s, Map.of());
        for (Map.Entry<String, AtomicLong> e : m.entrySet()) {
          all += e.getValue().get();
          if (e.getKey().equals(backend)) {
            mine += e.getValue().get();
          }
        }
      }
      return all == 0 ? 0 : (double) mine / all;
    }

    long slotNow() {
      return (System.nanoTime() - t0) / 250_000_000L;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aTargetStoppedUnderLoadFailsNoRequestWithRetriesAndComesBackRamping() throws Exception {
    TestBackend a = TestBackend.start("a");
    TestBackend b = TestBackend.start("b");
    TestBackend c = TestBackend.start("c");
    int cPort = c.port();
    try (TestNode node = TestNode.start()) {
      route(node, "pool", new JsonObject().put("targets", targets(a, b, c)).put("healthCheck", new JsonObject()
          .put("active", new JsonObject().put("path", "/health").put("intervalMs", 200).put("timeoutMs", 150)
              .put("healthyThreshold", 2).put("unhealthyThreshold", 2))
          .put("slowStartMs", 4000)));
      try (Load load = new Load(node.proxy() + "/work", "pool.test")) {
        sleep(1500);
        c.close(); // abruptly: connections are cut, the port refuses
        sleep(2500);
        JsonObject health = expect(200, node.admin().get("/upstreams/pool/health")).json();
        JsonObject cState = health.getJsonArray("targets").stream().map(o -> (JsonObject) o)
            .filter(t -> t.getString("address").endsWith(":" + cPort)).findFirst().orElseThrow();
        assertThat(cState.getBoolean("available")).isFalse();
        assertThat(cState.getJsonObject("active").getString("verdict")).isEqualTo("unhealthy");

        long downSlot = load.slotNow();
        sleep(500);
        assertThat(load.share("c", downSlot, load.slotNow())).isZero();

        c = TestBackend.start("c", cPort, null);
        long backSlot = load.slotNow();
        sleep(6000);
        long end = load.slotNow();
        // Back after its healthy threshold (2 checks, ~0.4 s), ramping up over the 4 s slow start.
        double early = load.share("c", backSlot + 2, backSlot + 6);
        double late = load.share("c", end - 4, end);
        assertThat(early).isGreaterThan(0.0);
        assertThat(late).isGreaterThan(early);
        assertThat(late).isBetween(0.25, 0.42);
        load.close();
        assertThat(load.failureTimes).as("failed requests; first: %s", load.firstFailure.get()).isEmpty();
        assertThat(load.ok.get()).isGreaterThan(1000);
      }
    } finally {
      a.close();
      b.close();
      c.close();
    }
  }

  @Test
  void withoutRetriesFailuresStopWithinTwoSecondsOfTheStop() throws Exception {
    TestBackend a = TestBackend.start("a");
    TestBackend b = TestBackend.start("b");
    TestBackend c = TestBackend.start("c");
    try (TestNode node = TestNode.start()) {
      route(node, "noretry", new JsonObject().put("targets", targets(a, b, c))
          .put("retries", new JsonObject().put("attempts", 0)));
      try (Load load = new Load(node.proxy() + "/work", "noretry.test")) {
        sleep(1000);
        long stoppedAt = System.nanoTime();
        c.close();
        sleep(4000);
        load.close();
        assertThat(load.failureTimes).isNotEmpty(); // without retries the stop is felt…
        long lastFailureMs = (load.failureTimes.stream().mapToLong(Long::longValue).max().orElseThrow() - stoppedAt)
            / 1_000_000;
        assertThat(lastFailureMs).as("ms from the stop to the last failure").isLessThan(2000); // …briefly
      }
      JsonObject health = expect(200, node.admin().get("/upstreams/noretry/health")).json();
      assertThat(health.getJsonArray("targets").stream().map(o -> (JsonObject) o)
          .filter(t -> t.getJsonObject("passive").getBoolean("ejected")).count()).isEqualTo(1);
    } finally {
      a.close();
      b.close();
      c.close();
    }
  }

  @Test
  void retriesChosenStatusesOnIdempotentRequestsOnly() {
    TestBackend sick = TestBackend.start("sick", 0, req -> req.response().setStatusCode(503).end("busy"));
    TestBackend fine = TestBackend.start("fine");
    try (TestNode node = TestNode.start()) {
      route(node, "st", new JsonObject().put("targets", targets(sick, fine))
          .put("retries", new JsonObject().put("attempts", 1).put("retryOn", new JsonArray().add("503")))
          .put("healthCheck", new JsonObject().put("passive", new JsonObject().put("enabled", false))));
      for (int i = 0; i < 10; i++) {
        Http.Response r = Http.get(node.proxy() + "/x", "Host", "st.test");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-backend")).isEqualTo("fine");
      }
      int posts503 = 0;
      for (int i = 0; i < 10; i++) {
        posts503 += Http.send("POST", node.proxy() + "/x", "data", "Host", "st.test").status() == 503 ? 1 : 0;
      }
      // Round robin (per event loop) sends about every other POST to the sick one; those are not retried.
      assertThat(posts503).isBetween(3, 7);
      assertThat(expect(200, node.admin().get("/upstreams/st/health")).json().getLong("retries")).isGreaterThanOrEqualTo(3);
    } finally {
      sick.close();
      fine.close();
    }
  }

  @Test
  void replaysSmallBodiesAndNeverRetriesWhatWasStreamed() throws Exception {
    // The first target reads the whole body, then drops the connection without answering.
    TestBackend dropper = TestBackend.start("dropper", 0, req -> req.body().onComplete(x -> req.connection().close()));
    TestBackend fine = TestBackend.start("fine");
    try (TestNode node = TestNode.start()) {
      route(node, "rp", new JsonObject().put("targets", targets(dropper, fine))
          .put("retries", new JsonObject().put("maxBodyBytes", 1000))
          .put("healthCheck", new JsonObject().put("passive", new JsonObject().put("enabled", false))));
      int ok = 0;
      for (int i = 0; i < 6; i++) {
        Http.Response r = Http.send("PUT", node.proxy() + "/put", "x".repeat(500), "Host", "rp.test");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getInteger("bodyBytes")).isEqualTo(500);
        ok++;
      }
      assertThat(ok).isEqualTo(6);
      // Over maxBodyBytes: the body is gone once sent, so a drop becomes a 502.
      int failed = 0;
      for (int i = 0; i < 6; i++) {
        failed += Http.send("PUT", node.proxy() + "/put", "x".repeat(5000), "Host", "rp.test").status() == 502 ? 1 : 0;
      }
      assertThat(failed).isBetween(2, 4);
    } finally {
      dropper.close();
      fine.close();
    }
  }

  @Test
  void aRetryBudgetCapsRetries() {
    TestBackend sick = TestBackend.start("sick", 0, req -> req.response().setStatusCode(503).end("busy"));
    TestBackend fine = TestBackend.start("fine");
    try (TestNode node = TestNode.start()) {
      route(node, "budget", new JsonObject().put("targets", targets(sick, fine))
          .put("retries", new JsonObject().put("retryOn", new JsonArray().add("503")).put("budgetPercent", 0)
              .put("minRetriesPerSecond", 0))
          .put("healthCheck", new JsonObject().put("passive", new JsonObject().put("enabled", false))));
      int unavailable = 0;
      for (int i = 0; i < 10; i++) {
        unavailable += Http.get(node.proxy() + "/x", "Host", "budget.test").status() == 503 ? 1 : 0;
      }
      assertThat(unavailable).isBetween(3, 7);
      assertThat(expect(200, node.admin().get("/upstreams/budget/health")).json().getLong("retriesOverBudget"))
          .isEqualTo(unavailable);
    } finally {
      sick.close();
      fine.close();
    }
  }

  @Test
  void aCircuitOpensHalfOpensAndClosesAgain() {
    AtomicBoolean broken = new AtomicBoolean(true);
    TestBackend flaky = TestBackend.start("flaky", 0, req -> req.response().setStatusCode(broken.get() ? 500 : 200)
        .end(broken.get() ? "down" : "up"));
    TestBackend fine = TestBackend.start("fine");
    try (TestNode node = TestNode.start()) {
      route(node, "cb", new JsonObject().put("targets", targets(flaky, fine))
          .put("circuitBreaker", new JsonObject().put("enabled", true).put("failureThreshold", 3).put("openMs", 800))
          .put("healthCheck", new JsonObject().put("passive", new JsonObject().put("enabled", false))));
      int fromFlaky = 0;
      for (int i = 0; i < 20; i++) {
        fromFlaky += "flaky".equals(Http.get(node.proxy() + "/x", "Host", "cb.test").header("x-backend")) ? 1 : 0;
      }
      assertThat(fromFlaky).isEqualTo(3); // then its circuit is open
      assertThat(circuitOf(node, flaky)).isEqualTo("open");
      broken.set(false);
      sleep(900);
      for (int i = 0; i < 4; i++) {
        Http.get(node.proxy() + "/x", "Host", "cb.test");
      }
      assertThat(circuitOf(node, flaky)).isEqualTo("closed"); // a probe succeeded
    } finally {
      flaky.close();
      fine.close();
    }
  }

  static String circuitOf(TestNode node, TestBackend b) {
    return expect(200, node.admin().get("/upstreams/cb/health")).json().getJsonArray("targets").stream()
        .map(o -> (JsonObject) o).filter(t -> t.getString("address").endsWith(":" + b.port())).findFirst().orElseThrow()
        .getString("circuit");
  }

  @Test
  void theLastHealthyTargetIsNeverEjected() {
    TestBackend sick = TestBackend.start("sick", 0, req -> req.response().setStatusCode(500).end("down"));
    try (TestNode node = TestNode.start()) {
      route(node, "last", new JsonObject().put("targets", targets(sick)));
      for (int i = 0; i < 12; i++) {
        assertThat(Http.get(node.proxy() + "/x", "Host", "last.test").status()).isEqualTo(500);
      }
      JsonObject h = expect(200, node.admin().get("/upstreams/last/health")).json();
      assertThat(h.getLong("ejectionsRefused")).isGreaterThanOrEqualTo(2);
      assertThat(h.getJsonArray("targets").getJsonObject(0).getBoolean("available")).isTrue();
    } finally {
      sick.close();
    }
  }

  @Test
  void invalidBalancingAndHealthConfigAnswers400() {
    try (TestNode node = TestNode.start()) {
      Http.Response r = node.admin().post("/upstreams", new JsonObject().put("name", "bad")
          .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 80).put("weight", -2)))
          .put("algorithm", "fastest-please")
          .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "health")
              .put("expectedStatuses", new JsonArray().add("299-200")))));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("targets[0].weight").contains("must be at least 1");
      Http.Response r2 = node.admin().post("/upstreams", new JsonObject().put("name", "bad")
          .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 80)))
          .put("algorithm", "fastest-please")
          .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "health")
              .put("expectedStatuses", new JsonArray().add("299-200")))));
      assertThat(r2.body()).contains("unknown algorithm 'fastest-please'").contains("healthCheck.active.path")
          .contains("range 299-200 is backwards");
      assertThat(node.admin().post("/upstreams", new JsonObject().put("name", "empty").put("targets", new JsonArray()))
          .body()).contains("targets").contains("at least 1 items");
    }
  }
}
