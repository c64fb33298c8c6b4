package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster mode against a real Redis, stopped and started again mid-test. */
class RedisModeTest {

  static FrontdeskTestKit fd;
  static RedisServer redis;
  static final CapturedLog log = new CapturedLog();

  @BeforeAll
  static void start() {
    assumeTrue(RedisServer.installed() || System.getenv("CI") != null, "redis-server is not installed");
    redis = RedisServer.start();
    fd = FrontdeskTestKit.builder().plugin("rate-limit", new RateLimitFilterFactory()).plugin("captured-log", log)
        .flag("--trusted-proxies", "127.0.0.1/32").start();
    fd.bind("captured-log", "global", null, null);
  }

  @AfterAll
  static void stop() {
    if (fd != null) {
      fd.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static JsonObject redisLimit(String rate, String failure) {
    return new JsonObject().put("limits", new JsonArray().add(new JsonObject().put("key", "client-ip").put("rate", rate)))
        .put("mode", "redis").put("redis", new JsonObject().put("url", redis.url()).put("failure", failure)
            .put("timeoutMs", 2000)); // a loaded test machine must not make a slow answer look like Redis away
  }

  static Response from(String path, String client) {
    return fd.get(path, "X-Forwarded-For", client);
  }

  @Test
  void limitsAreCountedInRedisWithAnExpiry() throws Exception {
    fd.routeToBackend("counted", "/counted");
    fd.bind("rate-limit", "route", "counted", redisLimit("2/m", "open"));
    Response first = from("/counted", "10.0.0.1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit")).isEqualTo("\"client-ip 2/m\";r=1;t=30");
    assertThat(from("/counted", "10.0.0.1").status()).isEqualTo(200);
    Response refused = from("/counted", "10.0.0.1");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isIn("29", "30");
    List<String> keys = redis.keys("frontdesk:rl:*:10.0.0.1");
    assertThat(keys).hasSize(1);
    // the key lives as long as its state matters: until the two requests are paid back (60 s)
    long ttl = Long.parseLong(redis.command("PTTL \"" + keys.get(0) + "\"").substring(1));
    assertThat(ttl).isBetween(50_000L, 61_000L);
  }

  @Test
  void failOpenLetsRequestsThroughWhileRedisIsAwayAndReconnectsByItself() throws Exception {
    fd.routeToBackend("open", "/open");
    fd.bind("rate-limit", "route", "open", redisLimit("1/h", "open"));
    assertThat(from("/open", "10.1.0.1").status()).isEqualTo(200);
    assertThat(from("/open", "10.1.0.1").status()).isEqualTo(429);
    redis.stop();
    try {
      for (int i = 0; i < 3; i++) {
        Response r = from("/open", "10.1.0.1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(log.await(r.header("X-Request-Id")).attributes())
            .containsEntry("rate-limit.outcome", "allowed: store unavailable");
      }
    } finally {
      redis.startAgain(); // empty, like a Redis that crashed
    }
    awaitLimited("/open", "10.1.0.2");
  }

  @Test
  void failClosedRefusesWith503WhileRedisIsAway() {
    fd.routeToBackend("closed", "/closed");
    fd.bind("rate-limit", "route", "closed", redisLimit("100/s", "closed"));
    assertThat(from("/closed", "10.2.0.1").status()).isEqualTo(200);
    redis.stop();
    try {
      Response r = from("/closed", "10.2.0.1");
      assertThat(r.status()).isEqualTo(503);
      assertThat(log.await(r.header("X-Request-Id")).attributes())
          .containsEntry("rate-limit.outcome", "refused: store unavailable");
    } finally {
      redis.startAgain();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    int status;
    do {
      status = from("/closed", "10.2.0.1").status();
    } while (status != 200 && System.nanoTime() < deadline);
    assertThat(status).as("answers again once Redis is back").isEqualTo(200);
  }

  @Test
  void aRedisThatStopsAnsweringCountsAsAwayAfterTheTimeout() throws Exception {
    fd.routeToBackend("frozen", "/frozen");
    JsonObject config = redisLimit("1/h", "open");
    config.getJsonObject("redis").put("timeoutMs", 300);
    fd.bind("rate-limit", "route", "frozen", config);
    assertThat(from("/frozen", "10.3.0.1").status()).isEqualTo(200);
    redis.freeze(true);
    try {
      long t0 = System.nanoTime();
      Response r = from("/frozen", "10.3.0.1");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.status()).isEqualTo(200); // fail open: the request is not held for Redis
      assertThat(ms).isLessThan(5000);
      assertThat(log.await(r.header("X-Request-Id")).attributes())
          .containsEntry("rate-limit.outcome", "allowed: store unavailable");
    } finally {
      redis.freeze(false);
    }
    // the stuck connection was dropped; a new one holds the limit again (the earlier count survived)
    long deadline = System.nanoTime() + 10_000_000_000L;
    int status;
    do {
      Thread.sleep(100);
      status = from("/frozen", "10.3.0.1").status();
    } while (status != 429 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(429);
  }

  /** Redis is back: within a few seconds the limit (1/h) holds again for a new client. */
  static void awaitLimited(String path, String client) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (from(path, client).status() == 429) {
        return; // a second request of this client was counted in Redis (the first may have passed without it)
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the limit did not hold again after Redis came back");
  }
}
