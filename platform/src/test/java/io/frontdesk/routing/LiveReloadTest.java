package io.frontdesk.routing;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Config changes apply without restart, to every node, without failing requests. */
class LiveReloadTest {

  static JsonObject targets(TestBackend... backends) {
    JsonArray t = new JsonArray();
    for (TestBackend b : backends) {
      t.add(new JsonObject().put("host", "127.0.0.1").put("port", b.port()));
    }
    return new JsonObject().put("targets", t);
  }

  @Test
  void changesUnderContinuousLoadFailNoRequest() throws Exception {
    TestBackend a = TestBackend.start("a");
    TestBackend b = TestBackend.start("b");
    try (TestNode node = TestNode.start()) {
      node.admin().simpleRoute("app", "*", a.port());
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicReference<String> firstFailure = new AtomicReference<>();
      Map<String, AtomicLong> byBackend = new ConcurrentHashMap<>();
      ExecutorService load = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 8; i++) {
        load.submit(() -> {
          int n = 0;
          while (running.get() && n++ < 100_000) {
            try {
              HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/load"))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
                byBackend.computeIfAbsent(r.headers().firstValue("x-backend").orElse("?"), k -> new AtomicLong())
                    .incrementAndGet();
              } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, r.statusCode() + " " + r.body());
              }
            } catch (Exception e) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e.toString());
            }
          }
        });
      }
      // Ten changes while the load runs: move the pool between backends, edit the route and the site.
      for (int i = 0; i < 10; i++) {
        Thread.sleep(250);
        JsonObject t = i % 3 == 0 ? targets(b) : i % 3 == 1 ? targets(a, b) : targets(a);
        expect(200, node.admin().patch("/upstreams/app", t));
        if (i == 5) {
          expect(200, node.admin().patch("/routes/app", new JsonObject().put("priority", 5)));
          expect(200, node.admin().patch("/sites/app", new JsonObject().put("hosts", new JsonArray().add("*").add("x.test"))));
        }
      }
      Thread.sleep(250);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(failed.get()).as("failed requests; first: %s", firstFailure.get()).isZero();
      assertThat(ok.get()).isGreaterThan(500);
      assertThat(byBackend.keySet()).contains("a", "b");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aSecondNodeOnTheSameDatabaseAppliesChangesWithinOneSecond() throws Exception {
    TestBackend a = TestBackend.start("a");
    try (TestNode first = TestNode.start(); TestNode second = TestNode.onDatabase(first.dbUrl())) {
      assertThat(Http.get(second.proxy() + "/x").status()).isEqualTo(404);
      long t0 = System.nanoTime();
      first.admin().simpleRoute("shared", "*", a.port());
      long applied = -1;
      while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
        if (Http.get(second.proxy() + "/x").status() == 200) {
          applied = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          break;
        }
        Thread.sleep(20);
      }
      assertThat(applied).as("ms until the second node served the new route").isBetween(0L, 1000L);
      assertThat(second.node().reloader().appliedVersion()).isEqualTo(first.node().reloader().appliedVersion());
    } finally {
      a.close();
    }
  }

  @Test
  void exchangesInFlightFinishOnTheSnapshotTheyStartedWith() throws Exception {
    TestBackend a = TestBackend.start("a");
    TestBackend b = TestBackend.start("b");
    try (TestNode node = TestNode.start()) {
      node.admin().simpleRoute("inflight", "*", a.port());
      HttpClient client = HttpClient.newHttpClient();
      var slow = client.sendAsync(HttpRequest.newBuilder(URI.create(node.proxy() + "/slow/800")).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(200);
      expect(200, node.admin().patch("/upstreams/inflight", targets(b)));
      HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-backend")).hasValue("a");
      assertThat(Http.get(node.proxy() + "/next").header("x-backend")).isEqualTo("b");
    } finally {
      a.close();
      b.close();
    }
  }
}
