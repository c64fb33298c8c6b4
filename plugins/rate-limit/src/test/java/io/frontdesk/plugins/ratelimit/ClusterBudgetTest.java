package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check of cluster mode: two nodes (one PostgreSQL server, one Redis) hold a limit
 * of 100 req/s between them within ±5 % while 500 req/s arrive spread over both.
 */
class ClusterBudgetTest {

  static final int OFFERED_PER_SECOND = 500;
  static final long WARM_UP_MS = 1000;
  static final long MEASURED_MS = 4000;

  @Test
  void twoNodesSharingOneRedisHoldOneBudget() throws Exception {
    assumeTrue(RedisServer.installed() || System.getenv("CI") != null, "redis-server is not installed");
    try (RedisServer redis = RedisServer.start();
        FrontdeskTestKit a = FrontdeskTestKit.builder().plugin("rate-limit", new RateLimitFilterFactory()).start();
        FrontdeskTestKit b = FrontdeskTestKit.builder().plugin("rate-limit", new RateLimitFilterFactory()).start()) {
      // a generous Redis timeout: on a loaded test machine a slow answer must not count as Redis away;
      // burst 10 absorbs the arrival jitter; the warm-up spends it, so the measured part is the rate alone
      JsonObject config = new JsonObject().put("mode", "redis").put("redis", new JsonObject().put("url", redis.url()).put("timeoutMs", 2000))
          .put("limits", new JsonArray().add(new JsonObject().put("key", "route").put("rate", "100/s").put("burst", 10)));
      for (FrontdeskTestKit node : List.of(a, b)) {
        node.routeToBackend("shared", "/");
        node.bind("rate-limit", "route", "shared", config);
      }
      List<URI> targets = List.of(URI.create(a.proxyUrl() + "/x"), URI.create(b.proxyUrl() + "/x"));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      for (URI t : targets) { // connections and JIT warm, outside the measurement
        http.send(HttpRequest.newBuilder(t).build(), HttpResponse.BodyHandlers.discarding());
      }

      int total = (int) (OFFERED_PER_SECOND * (WARM_UP_MS + MEASURED_MS) / 1000);
      AtomicInteger allowed = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger skipped = new AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<String> firstProblem = new java.util.concurrent.atomic.AtomicReference<>();
      Semaphore inFlight = new Semaphore(256); // bounded: a stalled node cannot pile up requests
      CountDownLatch done = new CountDownLatch(total);
      ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
      long periodMicros = 1_000_000L / OFFERED_PER_SECOND;
      try {
        pacer.scheduleAtFixedRate(() -> {
          int i = sent.getAndIncrement();
          if (i >= total) {
            return;
          }
          boolean measured = i >= OFFERED_PER_SECOND * WARM_UP_MS / 1000;
          if (!inFlight.tryAcquire()) {
            skipped.incrementAndGet(); // the nodes lag: this slot's request is not sent
            done.countDown();
            return;
          }
          http.sendAsync(HttpRequest.newBuilder(targets.get(i % 2)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                inFlight.release();
                if (measured) {
                  int s = r == null ? -1 : r.statusCode();
                  (s == 200 ? allowed : s == 429 ? refused : other).incrementAndGet();
                  if (s != 200 && s != 429) {
                    firstProblem.compareAndSet(null, e != null ? e.toString() : "status " + s);
                  }
                }
                done.countDown();
              });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every request answered").isTrue();
      } finally {
        pacer.shutdownNow();
      }
      long expected = 100 * MEASURED_MS / 1000;
      String summary = "allowed " + allowed + ", refused " + refused + ", other " + other + ", not sent " + skipped
          + " of " + OFFERED_PER_SECOND * MEASURED_MS / 1000 + " measured requests; first problem: " + firstProblem;
      System.out.println("cluster budget: " + summary);
      assertThat(other.get()).as(summary).isZero();
      // The load must stay well above the limit for the count to mean anything. A machine too busy to
      // serve 300 req/s through two nodes (other builds running) cannot show it: then say so, and skip.
      assumeTrue(allowed.get() + refused.get() > 3 * 100 * MEASURED_MS / 1000,
          "this machine served too little of the offered load to measure the limit: " + summary);
      assertThat((long) allowed.get()).as(summary).isBetween(expected * 95 / 100, expected * 105 / 100);
    }
  }
}
