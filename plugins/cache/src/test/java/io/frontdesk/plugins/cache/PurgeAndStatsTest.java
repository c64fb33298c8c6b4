package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Purges through the admin API reaching two nodes that share a database; stats and metrics. */
class PurgeAndStatsTest {

  static FrontdeskTestKit one;
  static FrontdeskTestKit two;
  static Origin origin;

  @BeforeAll
  static void start() throws Exception {
    origin = new Origin();
    one = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).start();
    two = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).sameDatabaseAs(one).start();
    one.routeTo("origin", "/", origin.port());
    one.bind("cache", "route", "origin", new JsonObject());
    awaitBinding(two);
  }

  @AfterAll
  static void stop() {
    one.close();
    two.close();
    origin.close();
  }

  /** Waits until {@code node} applied the binding (its answers carry a Cache-Status). */
  static void awaitBinding(FrontdeskTestKit node) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (node.get("/ready").header("cache-status") == null) {
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static boolean hit(FrontdeskTestKit node, String path) {
    return node.get(path).header("cache-status").contains("hit");
  }

  /** Fills both nodes' caches with {@code path}. */
  static void warm(String path, String... fields) {
    origin.on(path.replaceAll("\\?.*", ""), Reply.of(200, "x", fields));
    one.get(path);
    two.get(path);
    assertThat(hit(one, path)).isTrue();
    assertThat(hit(two, path)).isTrue();
  }

  static void awaitMiss(FrontdeskTestKit node, String path) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 1500; // within a second, with some room
    while (hit(node, path)) {
      assertThat(System.currentTimeMillis()).as("purged on the other node in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  static Response purge(JsonObject body) {
    return one.admin("POST", "/plugins/cache/purge", body);
  }

  @Test
  void aPurgeByUrlReachesEveryNode() throws Exception {
    warm("/p/url?a=1", "Cache-Control", "max-age=600");
    Response r = purge(new JsonObject().put("url", "http://127.0.0.1/p/url?a=1"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getInteger("purged")).isEqualTo(1);
    assertThat(r.json().getBoolean("published")).isTrue();
    assertThat(hit(one, "/p/url?a=1")).isFalse();
    awaitMiss(two, "/p/url?a=1");
  }

  @Test
  void aPurgeByPrefixAndBySurrogateKeyReachEveryNode() throws Exception {
    warm("/p/prefix/a", "Cache-Control", "max-age=600");
    warm("/p/prefix/b", "Cache-Control", "max-age=600");
    warm("/p/other", "Cache-Control", "max-age=600");
    assertThat(purge(new JsonObject().put("prefix", "http://127.0.0.1/p/prefix/")).json().getInteger("purged"))
        .isEqualTo(2);
    awaitMiss(two, "/p/prefix/a");
    awaitMiss(two, "/p/prefix/b");
    assertThat(hit(two, "/p/other")).isTrue();

    warm("/p/tagged/1", "Cache-Control", "max-age=600", "Surrogate-Key", "product-42 category-7");
    warm("/p/tagged/2", "Cache-Control", "max-age=600", "Surrogate-Key", "product-43 category-7");
    assertThat(purge(new JsonObject().put("surrogateKey", "product-42")).json().getInteger("purged")).isEqualTo(1);
    awaitMiss(two, "/p/tagged/1");
    assertThat(hit(two, "/p/tagged/2")).isTrue();
  }

  @Test
  void aPurgeRequestOutsideTheRulesIs400AndPurgesNothing() {
    Response none = purge(new JsonObject());
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("url");
    assertThat(purge(new JsonObject().put("url", "/relative")).body()).contains("absolute http");
    assertThat(purge(new JsonObject().put("url", "http://a/x").put("prefix", "http://a/")).status()).isEqualTo(400);
    assertThat(purge(new JsonObject().put("surrogateKey", "two tags")).status()).isEqualTo(400);
    assertThat(purge(new JsonObject().put("colour", "red")).body()).contains("colour");
    assertThat(one.admin("GET", "/plugins/cache/purge", null).status()).isEqualTo(404);
  }

  @Test
  void statsAndMetricsCountPerBinding() {
    warm("/p/stats", "Cache-Control", "max-age=600");
    JsonObject b = one.admin("GET", "/plugins/cache/stats", null).json().getJsonArray("bindings").getJsonObject(0);
    assertThat(b.getLong("hits")).isPositive();
    assertThat(b.getLong("misses")).isPositive();
    assertThat(b.getDouble("hitRatio")).isBetween(0.0, 1.0);
    assertThat(b.getJsonObject("memory").getLong("entries")).isPositive();
    assertThat(b.getJsonObject("memory").getLong("bytes")).isPositive();
    assertThat(b.getJsonObject("disk").getBoolean("enabled")).isFalse();
    String metrics = scrape();
    assertThat(metrics).contains("# TYPE frontdesk_cache_hits_total counter")
        .contains("frontdesk_cache_hits_total{binding=\"" + b.getString("binding") + "\"}")
        .contains("frontdesk_cache_bytes{binding=\"" + b.getString("binding") + "\",tier=\"memory\"}");
  }

  static String scrape() {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      String base = one.apiUrl().replace("/api/v1", "");
      return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
