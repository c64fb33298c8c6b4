package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Configured keys, bypass rules and the object size limit, through a real node. */
class KeysLimitsTest {

  static FrontdeskTestKit fd;
  static Origin origin;

  @BeforeAll
  static void start() throws Exception {
    origin = new Origin();
    fd = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).start();
    fd.routeTo("keyed", "/keyed", origin.port());
    fd.routeTo("small", "/small", origin.port());
    fd.bind("cache", "route", "keyed", new JsonObject()
        .put("key", new JsonObject().put("queryExclude", new JsonArray().add("utm_source"))
            .put("cookies", new JsonArray().add("lang")))
        .put("bypass", new JsonObject().put("cookies", new JsonArray().add("session"))
            .put("paths", new JsonArray().add("/keyed/admin"))));
    fd.bind("cache", "route", "small", new JsonObject().put("maxObjectBytes", 1000));
  }

  @AfterAll
  static void stop() {
    fd.close();
    origin.close();
  }

  @Test
  void aConfiguredKeyIgnoresSomeParametersAndSeparatesByCookie() {
    origin.on("/keyed/page", (n, req) -> Reply.of(200, "page " + n, "Cache-Control", "max-age=600"));
    assertThat(fd.get("/keyed/page?b=1&utm_source=mail", "Cookie", "lang=de").body()).isEqualTo("page 1");
    assertThat(fd.get("/keyed/page?utm_source=web&b=1", "Cookie", "lang=de").body()).isEqualTo("page 1");
    assertThat(fd.get("/keyed/page?b=1", "Cookie", "lang=fr").body()).isEqualTo("page 2");
    assertThat(fd.get("/keyed/page?b=1", "Cookie", "x=1; lang=de").body()).isEqualTo("page 1");
    fd.send("DELETE", "/keyed/page?b=1", null); // invalidation reaches every cookie variant
    assertThat(fd.get("/keyed/page?b=1", "Cookie", "lang=de").body()).isEqualTo("page 4");
  }

  @Test
  void bypassedRequestsAreNeitherServedNorStored() {
    origin.on("/keyed/b", (n, req) -> Reply.of(200, "b " + n, "Cache-Control", "max-age=600"));
    Response bypassed = fd.get("/keyed/b", "Cookie", "session=1");
    assertThat(bypassed.header("cache-status")).isEqualTo("Frontdesk; fwd=bypass; fwd-status=200; detail=\"cookie session\"");
    assertThat(fd.get("/keyed/b").body()).isEqualTo("b 2");
    assertThat(fd.get("/keyed/b").body()).isEqualTo("b 2");
    assertThat(fd.get("/keyed/b", "Cookie", "session=1").body()).isEqualTo("b 3");
    origin.on("/keyed/admin/x", (n, req) -> Reply.of(200, "a " + n, "Cache-Control", "max-age=600"));
    fd.get("/keyed/admin/x");
    assertThat(fd.get("/keyed/admin/x").body()).isEqualTo("a 2");
  }

  @Test
  void aBodyOverTheLimitStreamsThroughUncached() {
    String big = "y".repeat(5000);
    origin.on("/small/big", Reply.of(200, big, "Cache-Control", "max-age=600"));
    Response first = fd.get("/small/big");
    assertThat(first.body()).isEqualTo(big);
    assertThat(first.header("content-length")).isEqualTo("5000");
    assertThat(first.header("cache-status")).contains("larger than maxObjectBytes");
    assertThat(fd.get("/small/big").body()).isEqualTo(big);
    assertThat(origin.calls("/small/big")).isEqualTo(2);

    origin.on("/small/chunked", Reply.of(200, big, "Cache-Control", "max-age=600", "Transfer-Encoding", "chunked"));
    assertThat(fd.get("/small/chunked").body()).isEqualTo(big); // found too large only while streaming
    assertThat(fd.get("/small/chunked").body()).isEqualTo(big);
    assertThat(origin.calls("/small/chunked")).isEqualTo(2);

    origin.on("/small/fits", Reply.of(200, "z".repeat(900), "Cache-Control", "max-age=600"));
    fd.get("/small/fits");
    assertThat(fd.get("/small/fits").header("cache-status")).contains("hit");
  }

  @Test
  void aConfigurationOutsideTheSchemaIsRefused() {
    Response r = fd.admin("POST", "/plugins/cache/bindings", new JsonObject().put("scope", "route")
        .put("target", "small").put("config", new JsonObject().put("key", new JsonObject().put("query", "random"))
            .put("colour", "red")));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("config.colour").contains("config.key.query");
    Response big = fd.admin("POST", "/plugins/cache/bindings", new JsonObject().put("scope", "route")
        .put("target", "small").put("config", new JsonObject().put("maxObjectBytes", 1L << 30)));
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.body()).contains("maxObjectBytes");
  }
}
