package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin in a real node, local mode: each test has a route of its own. */
class RateLimitPluginTest {

  static FrontdeskTestKit fd;
  static final CapturedLog log = new CapturedLog();

  @BeforeAll
  static void start() {
    // Behind a trusted proxy on 127.0.0.1, the client is taken from X-Forwarded-For.
    fd = FrontdeskTestKit.builder().plugin("rate-limit", new RateLimitFilterFactory())
        .plugin("fake-auth", new FakeAuth()).plugin("captured-log", log)
        .flag("--trusted-proxies", "127.0.0.1/32").start();
    fd.bind("captured-log", "global", null, null);
  }

  @AfterAll
  static void stop() {
    fd.close();
  }

  static JsonObject limit(Object key, String rate) {
    return new JsonObject().put("key", key).put("rate", rate);
  }

  static JsonObject limits(JsonObject... l) {
    return new JsonObject().put("limits", new JsonArray(List.of((Object[]) l)));
  }

  static Response from(String path, String client, String... more) {
    List<String> h = new ArrayList<>(List.of("X-Forwarded-For", client));
    h.addAll(List.of(more));
    return fd.get(path, h.toArray(String[]::new));
  }

  @Test
  void overTheRateAnswers429WithRetryAfterAndRateLimitHeaders() {
    fd.routeToBackend("basic", "/basic");
    fd.bind("rate-limit", "route", "basic", limits(limit("client-ip", "2/m")));
    Response first = from("/basic", "10.0.0.1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"client-ip 2/m\";q=2;w=60");
    assertThat(first.header("RateLimit")).isEqualTo("\"client-ip 2/m\";r=1;t=30");
    assertThat(from("/basic", "10.0.0.1").header("RateLimit")).isEqualTo("\"client-ip 2/m\";r=0;t=30");
    Response refused = from("/basic", "10.0.0.1", "Accept", "application/json");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isIn("29", "30");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"client-ip 2/m\";q=2;w=60");
    assertThat(refused.header("RateLimit")).matches("\"client-ip 2/m\";r=0;t=(29|30)");
    assertThat(refused.json().getInteger("status")).isEqualTo(429);
    // another client has its own budget
    assertThat(from("/basic", "10.0.0.2").status()).isEqualTo(200);
  }

  @Test
  void theRefusalIsInTheAccessLogWithItsKey() {
    fd.routeToBackend("logged", "/logged");
    fd.bind("rate-limit", "route", "logged", limits(limit("client-ip", "1/h")));
    from("/logged", "10.9.9.9");
    Response refused = from("/logged", "10.9.9.9");
    var record = log.await(refused.header("X-Request-Id"));
    assertThat(record.status()).isEqualTo(429);
    assertThat(record.attributes()).containsEntry("rate-limit.outcome", "limited: client-ip 1/h")
        .containsEntry("rate-limit.key", "10.9.9.9");
  }

  @Test
  void everyLimitMustFitAndARefusedRequestUsesUpNothing() {
    fd.routeToBackend("multi", "/multi");
    fd.bind("rate-limit", "route", "multi", limits(limit("client-ip", "2/h"), limit("header:X-Key", "1/h")));
    assertThat(from("/multi", "10.1.0.1", "X-Key", "k1").status()).isEqualTo(200);
    Response byKey = from("/multi", "10.1.0.1", "X-Key", "k1");
    assertThat(byKey.status()).isEqualTo(429);
    assertThat(byKey.header("RateLimit")).isEqualTo("\"client-ip 2/h\";r=0;t=1800, \"header:x-key 1/h\";r=0;t=3600");
    // a header's value (an API key, say) is kept and logged only as a hash
    assertThat(log.await(byKey.header("X-Request-Id")).attributes().get("rate-limit.key")).startsWith("sha256:")
        .doesNotContain("k1");
    // the refused request did not use the address's second request
    assertThat(from("/multi", "10.1.0.1", "X-Key", "k2").status()).isEqualTo(200);
    assertThat(from("/multi", "10.1.0.1", "X-Key", "k3").status()).isEqualTo(429);
  }

  @Test
  void aLimitWhoseKeyTheRequestLacksDoesNotApply() {
    fd.routeToBackend("absent", "/absent");
    fd.bind("rate-limit", "route", "absent", limits(limit("cookie:session", "1/h")));
    for (int i = 0; i < 3; i++) {
      Response r = from("/absent", "10.2.0.1");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("RateLimit")).isNull();
    }
    assertThat(from("/absent", "10.2.0.1", "Cookie", "a=1; session=s1").status()).isEqualTo(200);
    assertThat(from("/absent", "10.2.0.2", "Cookie", "session=s1").status()).isEqualTo(429);
  }

  @Test
  void theConsumerKeyCountsByTheConsumerAnAuthPluginAuthenticated() {
    fd.routeToBackend("consumers", "/consumers");
    fd.bind("fake-auth", "route", "consumers", null);
    fd.bind("rate-limit", "route", "consumers", limits(limit("consumer", "1/h")));
    assertThat(from("/consumers", "10.3.0.1", "X-Test-Consumer", "alice").status()).isEqualTo(200);
    assertThat(from("/consumers", "10.3.0.2", "X-Test-Consumer", "alice").status()).isEqualTo(429);
    assertThat(from("/consumers", "10.3.0.1", "X-Test-Consumer", "bob").status()).isEqualTo(200);
    Response refused = from("/consumers", "10.3.0.1", "X-Test-Consumer", "bob");
    assertThat(log.await(refused.header("X-Request-Id")).attributes()).containsEntry("rate-limit.key", "id-bob");
    assertThat(from("/consumers", "10.3.0.1").status()).isEqualTo(200); // anonymous: not limited by consumer
  }

  @Test
  void combinedKeysCountEachCombinationApart() {
    fd.routeToBackend("combo", "/combo");
    fd.routeToBackend("combo2", "/combo2");
    // one binding for the whole site (every test's route): removed at the end
    String id = fd.bind("rate-limit", "site", "testkit",
        limits(limit(new JsonArray().add("client-ip").add("route"), "1/h")));
    try {
      assertThat(from("/combo", "10.4.0.1").status()).isEqualTo(200);
      assertThat(from("/combo", "10.4.0.1").status()).isEqualTo(429);
      assertThat(from("/combo2", "10.4.0.1").status()).isEqualTo(200);
      assertThat(from("/combo2", "10.4.0.2").status()).isEqualTo(200);
    } finally {
      assertThat(fd.admin("DELETE", "/plugins/rate-limit/bindings/" + id, null).status()).isEqualTo(204);
    }
  }

  @Test
  void twoBindingsOnOneRouteEachKeepTheirOwnState() {
    fd.routeToBackend("twice", "/twice");
    fd.bind("rate-limit", "route", "twice", limits(limit("client-ip", "2/h").put("name", "first")));
    fd.bind("rate-limit", "route", "twice", new JsonObject().put("concurrency", new JsonArray()
        .add(new JsonObject().put("key", "client-ip").put("max", 1).put("name", "second"))));
    for (int i = 1; i >= 0; i--) {
      Response r = from("/twice", "10.8.0.1");
      assertThat(r.status()).isEqualTo(200); // the one slot in flight was given back each time
      assertThat(r.headers().get("RateLimit")).containsExactlyInAnyOrder("\"first\";r=" + i + ";t=1800",
          "\"second\";r=0");
    }
    assertThat(from("/twice", "10.8.0.1").status()).isEqualTo(429);
  }

  @Test
  void theSlidingWindowAllowsItsCountPerWindow() {
    fd.routeToBackend("sliding", "/sliding");
    fd.bind("rate-limit", "route", "sliding",
        limits(limit("client-ip", "3/h").put("algorithm", "sliding-window").put("name", "hourly")));
    for (int i = 2; i >= 0; i--) {
      assertThat(from("/sliding", "10.5.0.1").header("RateLimit")).startsWith("\"hourly\";r=" + i + ";t=");
    }
    Response refused = from("/sliding", "10.5.0.1");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThan(0).isLessThanOrEqualTo(2 * 3600);
  }

  @Test
  void dryRunRefusesNothingAndLogsWhatItWouldHaveRefused() {
    fd.routeToBackend("dry", "/dry");
    fd.bind("rate-limit", "route", "dry", limits(limit("client-ip", "1/h")).put("dryRun", true));
    assertThat(from("/dry", "10.6.0.1").status()).isEqualTo(200);
    Response over = from("/dry", "10.6.0.1");
    assertThat(over.status()).isEqualTo(200);
    assertThat(over.header("RateLimit")).isEqualTo("\"client-ip 1/h\";r=0;t=3600");
    assertThat(log.await(over.header("X-Request-Id")).attributes())
        .containsEntry("rate-limit.outcome", "would limit: client-ip 1/h").containsEntry("rate-limit.key", "10.6.0.1");
  }

  @Test
  void aDelayedBurstWaitsItsTurnInsteadOfBeingRefused() {
    fd.routeToBackend("delayed", "/delayed");
    // 10/s: one request per 100 ms; a burst of 5 is accepted, the first 1 at once, the rest spaced
    fd.bind("rate-limit", "route", "delayed",
        limits(limit("client-ip", "10/s").put("burst", 5).put("delay", 1)).put("headers", "none"));
    long t0 = System.nanoTime();
    List<CompletableFuture<Response>> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.add(CompletableFuture.supplyAsync(() -> from("/delayed", "10.7.0.1")));
    }
    List<Integer> statuses = burst.stream().map(f -> f.join().status()).toList();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(statuses).containsOnly(200);
    // six requests at once: two pass at once, the other four wait 100..400 ms for their turn
    assertThat(ms).isGreaterThanOrEqualTo(350);
    Response seventh = from("/delayed", "10.7.0.1");
    assertThat(seventh.status()).isIn(200, 429); // depends on how much of the burst was given back by now
  }

  @Test
  void aBadRateOrKeyIsRefusedWithTheFieldNamed() {
    fd.routeToBackend("badcfg", "/badcfg");
    Response r = fd.admin("POST", "/plugins/rate-limit/bindings", new JsonObject().put("scope", "route")
        .put("target", "badcfg").put("config", limits(limit("ip", "5/sec"), limit("client-ip", "5/s").put("delay", 9))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("limits[0].rate: '5/sec' is not a rate: write N/s, N/m, N/h or N/d")
        .contains("limits[0].key: 'ip' is not a key: use client-ip, consumer, route, site, header:<name>, cookie:<name>")
        .contains("limits[1].delay: 9 is more than burst (4)");
    Response schema = fd.admin("POST", "/plugins/rate-limit/bindings", new JsonObject().put("scope", "route")
        .put("target", "badcfg").put("config", limits(limit("client-ip", "5/s").put("burst", -1)).put("mode", "cluster")));
    assertThat(schema.status()).isEqualTo(400);
    assertThat(schema.body()).contains("config.limits[0].burst").contains("config.mode");
    Response redis = fd.admin("POST", "/plugins/rate-limit/bindings", new JsonObject().put("scope", "route")
        .put("target", "badcfg").put("config", limits(limit("client-ip", "5/s")).put("mode", "redis")));
    assertThat(redis.body()).contains("redis.url: mode \\\"redis\\\" needs the Redis address");
  }
}
