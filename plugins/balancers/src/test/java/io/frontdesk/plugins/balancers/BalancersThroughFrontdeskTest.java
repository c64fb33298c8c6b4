package io.frontdesk.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each algorithm, chosen by an upstream's {@code algorithm}, serves real requests. */
class BalancersThroughFrontdeskTest {

  static FrontdeskTestKit fd;
  static Vertx vertx;
  static List<HttpServer> backends = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fd = FrontdeskTestKit.builder().plugin("balancers", new RoundRobin.Factory(), new LeastConnections.Factory(),
        new PowerOfTwoChoices.Factory(), new ConsistentHash.Factory(), new PeakEwma.Factory()).start();
    vertx = Vertx.vertx();
    for (int i = 0; i < 3; i++) {
      String name = "be" + i;
      backends.add(vertx.createHttpServer().requestHandler(r -> r.response().putHeader("x-backend", name).end(name))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  static void stop() {
    fd.close();
    vertx.close();
  }

  static void pool(String name, String algorithm, JsonObject config, int... weights) {
    JsonArray targets = new JsonArray();
    for (int i = 0; i < backends.size(); i++) {
      targets.add(new JsonObject().put("host", "127.0.0.1").put("port", backends.get(i).actualPort())
          .put("weight", weights.length > i ? weights[i] : 1));
    }
    FrontdeskTestKit.Response r = fd.admin("POST", "/upstreams", new JsonObject().put("name", name)
        .put("algorithm", algorithm).put("algorithmConfig", config).put("targets", targets));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    fd.routeToBackend(name, "/" + name);
  }

  static Map<String, Integer> spread(String path, int n, String... headers) {
    Map<String, Integer> c = new HashMap<>();
    for (int i = 0; i < n; i++) {
      c.merge(fd.get(path, headers).header("x-backend"), 1, Integer::sum);
    }
    return c;
  }

  @Test
  void roundRobinAndLoadAwareAlgorithmsUseEveryTarget() {
    pool("rr", "round-robin", new JsonObject());
    assertThat(spread("/rr", 30).values()).containsOnly(10);
    pool("lc", "least-connections", new JsonObject(), 2, 1, 1);
    Map<String, Integer> lc = spread("/lc", 400);
    assertThat(lc.get("be0")).isBetween(180, 220);
    pool("p2c", "p2c", new JsonObject());
    assertThat(spread("/p2c", 90).keySet()).containsExactlyInAnyOrder("be0", "be1", "be2");
    pool("ewma", "peak-ewma", new JsonObject());
    assertThat(spread("/ewma", 90)).isNotEmpty();
  }

  @Test
  void consistentHashSendsAKeyToOneTargetAndSpreadsKeys() {
    pool("hash", "consistent-hash", new JsonObject().put("hashOn", "header").put("header", "X-User"));
    Set<String> used = new HashSet<>();
    for (int u = 0; u < 30; u++) {
      Map<String, Integer> s = spread("/hash", 5, "X-User", "user-" + u);
      assertThat(s).hasSize(1);
      used.addAll(s.keySet());
    }
    assertThat(used).hasSize(3);
  }

  @Test
  void badAlgorithmConfigAnswers400() {
    FrontdeskTestKit.Response r = fd.admin("POST", "/upstreams", new JsonObject().put("name", "badhash")
        .put("algorithm", "consistent-hash").put("algorithmConfig", new JsonObject().put("hashOn", "moon"))
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 1))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("algorithmConfig.hashOn");
  }
}
