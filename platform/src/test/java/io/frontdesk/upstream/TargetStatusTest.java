package io.frontdesk.upstream;

import static io.frontdesk.testing.Http.Admin.expect;
import static io.frontdesk.upstream.HealthAndRetriesTest.route;
import static io.frontdesk.upstream.HealthAndRetriesTest.sleep;
import static io.frontdesk.upstream.HealthAndRetriesTest.targets;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Each target's health in one word (state), with a reason and since when. */
class TargetStatusTest {

  static JsonObject target(TestNode node, String upstream, int port) {
    return expect(200, node.admin().get("/upstreams/" + upstream + "/health")).json().getJsonArray("targets").stream()
        .map(o -> (JsonObject) o).filter(t -> t.getString("address").endsWith(":" + port)).findFirst().orElseThrow();
  }

  static JsonObject await(TestNode node, String upstream, int port, Predicate<JsonObject> until) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonObject t = target(node, upstream, port);
    while (!until.test(t)) {
      assertThat(System.currentTimeMillis()).as("waiting, last seen %s", t).isLessThan(deadline);
      sleep(50);
      t = target(node, upstream, port);
    }
    return t;
  }

  @Test
  void aNewTargetWithActiveChecksIsUnknownUntilItsFirstCheckAnswersYetTakesTraffic() {
    // The first check's answer takes 2.5 s, so the target is new and unjudged for that long.
    try (TestBackend slowHealth = TestBackend.start("slow", 0, req -> {
      if (req.path().equals("/health")) {
        TestBackend.vertx().setTimer(2500, t -> req.response().end("ok"));
      } else {
        req.response().putHeader("x-backend", "slow").end("hello");
      }
    }); TestNode node = TestNode.start()) {
      Instant added = Instant.now();
      route(node, "fresh", new JsonObject().put("targets", targets(slowHealth)).put("healthCheck", new JsonObject()
          .put("active", new JsonObject().put("path", "/health").put("intervalMs", 10_000).put("timeoutMs", 5000))));
      JsonObject t = target(node, "fresh", slowHealth.port());
      assertThat(t.getString("state")).isEqualTo("unknown");
      assertThat(t.getString("reason")).startsWith("waiting for the first active check");
      assertThat(Instant.parse(t.getString("since"))).isAfterOrEqualTo(added.minusSeconds(1));
      assertThat(t.getJsonObject("active").getString("verdict")).isEqualTo("unknown");
      // Routing is unchanged: an unjudged target takes traffic.
      assertThat(Http.get(node.proxy() + "/", "Host", "fresh.test").status()).isEqualTo(200);
      JsonObject judged = await(node, "fresh", slowHealth.port(), x -> !x.getString("state").equals("unknown"));
      assertThat(judged.getString("state")).isEqualTo("healthy");
      assertThat(judged.getValue("reason")).isNull();
      assertThat(judged.getJsonObject("active").getString("lastCheck")).isEqualTo("GET /health answered 200");
      assertThat(Instant.parse(judged.getString("since"))).isAfter(added.plusSeconds(2));
      // The fields the dashboard showed before are all still there.
      assertThat(judged.fieldNames()).contains("address", "weight", "available", "outstanding", "latencyEwmaMicros",
          "active", "passive", "circuit", "slowStarting");
      assertThat(judged.getJsonObject("active").fieldNames()).contains("lastCheck", "lastCheckAt");
    }
  }

  @Test
  void aTargetFailingItsChecksIsUnhealthyWithTheCheckAsTheReason() {
    TestBackend up = TestBackend.start("up");
    TestBackend gone = TestBackend.start("gone");
    int gonePort = gone.port();
    gone.close();
    try (TestNode node = TestNode.start()) {
      Instant added = Instant.now();
      route(node, "checked", new JsonObject().put("targets", targets(up).add(new JsonObject().put("host", "127.0.0.1")
          .put("port", gonePort))).put("healthCheck", new JsonObject().put("active", new JsonObject()
          .put("path", "/health").put("intervalMs", 200).put("timeoutMs", 500).put("unhealthyThreshold", 2))));
      JsonObject t = await(node, "checked", gonePort, x -> x.getString("state").equals("unhealthy"));
      assertThat(t.getString("reason")).startsWith("GET /health failed").containsIgnoringCase("refused");
      assertThat(Instant.parse(t.getString("since"))).isAfter(added).isBeforeOrEqualTo(Instant.now());
      assertThat(t.getBoolean("available")).isFalse();
      JsonObject all = expect(200, node.admin().get("/health/upstreams")).json();
      assertThat(all.encode()).contains("\"state\":\"unhealthy\"").contains("\"state\":\"healthy\"");
    } finally {
      up.close();
    }
  }

  @Test
  void aTargetAnswering5xxIsEjectedAndACircuitOpensWithTheirReasons() {
    TestBackend fine = TestBackend.start("fine");
    TestBackend sick = TestBackend.start("sick", 0, req -> req.response().setStatusCode(500).end("no"));
    try (TestNode node = TestNode.start()) {
      route(node, "passive", new JsonObject().put("targets", targets(fine, sick)).put("healthCheck",
          new JsonObject().put("passive", new JsonObject().put("consecutiveFailures", 2))));
      route(node, "breaker", new JsonObject().put("targets", targets(fine, sick))
          .put("healthCheck", new JsonObject().put("passive", new JsonObject().put("enabled", false)))
          .put("circuitBreaker", new JsonObject().put("enabled", true).put("failureThreshold", 2)
              .put("openMs", 60_000)));
      for (int i = 0; i < 8; i++) {
        Http.get(node.proxy() + "/", "Host", "passive.test");
        Http.get(node.proxy() + "/", "Host", "breaker.test");
      }
      JsonObject ejected = target(node, "passive", sick.port());
      assertThat(ejected.getString("state")).isEqualTo("ejected");
      assertThat(ejected.getString("reason")).startsWith("ejected after 2 consecutive 5xx answers (back in ");
      assertThat(ejected.getString("since")).isNotNull();
      assertThat(target(node, "passive", fine.port()).getString("state")).isEqualTo("healthy");

      JsonObject open = target(node, "breaker", sick.port());
      assertThat(open.getString("state")).isEqualTo("circuit-open");
      assertThat(open.getString("reason")).startsWith("circuit open for 60000 ms after 2 failures in a row");
      assertThat(open.getString("circuit")).isEqualTo("open");
    } finally {
      fine.close();
      sick.close();
    }
  }
}
