package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cache in a real Frontdesk, in front of a real origin, seen by a real HTTP client. */
class CachePluginTest {

  static FrontdeskTestKit fd;
  static Origin origin;

  @BeforeAll
  static void start() throws Exception {
    origin = new Origin();
    fd = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).start();
    fd.routeTo("origin", "/", origin.port());
    fd.bind("cache", "route", "origin", new JsonObject());
  }

  @AfterAll
  static void stop() {
    fd.close();
    origin.close();
  }

  static String now(long offsetSeconds) {
    return HttpDate.format(System.currentTimeMillis() / 1000 + offsetSeconds);
  }

  @Test
  void aFreshResponseIsStoredThenServedWithAgeAndCacheStatus() {
    origin.on("/fresh", Reply.of(200, "hello", "Cache-Control", "max-age=3600", "Date", now(0), "X-Test", "1"));
    Response first = fd.get("/fresh");
    assertThat(first.body()).isEqualTo("hello");
    assertThat(first.header("cache-status")).isEqualTo("Frontdesk; fwd=uri-miss; fwd-status=200; stored");
    assertThat(first.header("content-length")).isEqualTo("5");

    Response second = fd.get("/fresh");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("hello");
    assertThat(second.header("x-test")).isEqualTo("1");
    assertThat(second.header("age")).isNotNull();
    assertThat(second.header("content-length")).isEqualTo("5");
    assertThat(second.header("cache-status")).startsWith("Frontdesk; hit; ttl=359");
    assertThat(origin.calls("/fresh")).isEqualTo(1);
  }

  @Test
  void anAgeFromTheOriginCountsAgainstTheLifetime() {
    origin.on("/aged", Reply.of(200, "x", "Cache-Control", "max-age=10", "Age", "15", "Date", now(0)));
    fd.get("/aged");
    Response second = fd.get("/aged");
    assertThat(second.header("cache-status")).contains("fwd=stale");
    assertThat(origin.calls("/aged")).isEqualTo(2);

    origin.on("/aged-ok", Reply.of(200, "x", "Cache-Control", "max-age=600", "Age", "30", "Date", now(0)));
    fd.get("/aged-ok");
    assertThat(Integer.parseInt(fd.get("/aged-ok").header("age"))).isGreaterThanOrEqualTo(30);
  }

  @Test
  void whatMustNotBeStoredIsNot() {
    for (String cc : new String[] {"no-store, max-age=600", "private, max-age=600", "max-age=600, No-StOrE"}) {
      String path = "/nostore-" + Math.abs(cc.hashCode());
      origin.on(path, Reply.of(200, "x", "Cache-Control", cc));
      fd.get(path);
      assertThat(fd.get(path).header("cache-status")).as(cc).contains("fwd=uri-miss");
      assertThat(origin.calls(path)).as(cc).isEqualTo(2);
    }
    assertThat(fd.get("/nostore-x", "Cache-Control", "no-store").header("cache-status")).contains("fwd=uri-miss");
  }

  @Test
  void aResponseToAnAuthorizedRequestIsStoredOnlyWhenMarkedShareable() {
    origin.on("/auth", Reply.of(200, "secret", "Cache-Control", "max-age=600"));
    fd.get("/auth", "Authorization", "FOO");
    fd.get("/auth");
    assertThat(origin.calls("/auth")).isEqualTo(2);
    assertThat(origin.seen("/auth").get(0).header("authorization")).isEqualTo("FOO");

    origin.on("/auth-public", Reply.of(200, "shared", "Cache-Control", "max-age=600, public"));
    fd.get("/auth-public", "Authorization", "FOO");
    assertThat(fd.get("/auth-public").header("cache-status")).contains("hit");
    assertThat(origin.calls("/auth-public")).isEqualTo(1);
  }

  @Test
  void aStaleResponseIsValidatedAndA304FreshensIt() {
    origin.on("/validate", (n, req) -> n == 1
        ? Reply.of(200, "body-v1", "Cache-Control", "max-age=1", "Age", "5", "ETag", "\"v1\"", "X-Test", "A")
        : Reply.of(304, null, "Cache-Control", "max-age=3600", "ETag", "\"v1\"", "X-Test", "B"));
    fd.get("/validate");
    Response validated = fd.get("/validate", "If-None-Match", "\"other\"");
    assertThat(validated.status()).isEqualTo(200);
    assertThat(validated.body()).isEqualTo("body-v1");
    assertThat(validated.header("x-test")).isEqualTo("B");
    assertThat(validated.header("cache-status")).isEqualTo("Frontdesk; fwd=stale; fwd-status=304; ttl=3599");
    Origin.Seen cond = origin.seen("/validate").get(1);
    assertThat(cond.header("if-none-match")).isEqualTo("\"v1\"");

    Response hit = fd.get("/validate");
    assertThat(hit.header("x-test")).isEqualTo("B");
    assertThat(hit.header("cache-status")).contains("hit");
    assertThat(origin.calls("/validate")).isEqualTo(2);
  }

  @Test
  void aStaleResponseWithoutValidatorsIsFetchedAgainAndReplaced() {
    origin.on("/refetch", (n, req) -> Reply.of(200, "v" + n, "Cache-Control", n == 1 ? "max-age=0" : "max-age=600"));
    assertThat(fd.get("/refetch").body()).isEqualTo("v1");
    assertThat(fd.get("/refetch").body()).isEqualTo("v2");
    assertThat(origin.seen("/refetch").get(1).header("if-none-match")).isNull();
    assertThat(fd.get("/refetch").body()).isEqualTo("v2");
    assertThat(origin.calls("/refetch")).isEqualTo(2);
  }

  @Test
  void variantsAreKeptApartByVaryAndVaryStarNeverMatches() {
    origin.on("/vary", (n, req) -> Reply.of(200, "for " + req.header("foo"), "Cache-Control", "max-age=600",
        "Vary", "Foo"));
    assertThat(fd.get("/vary", "Foo", "1").body()).isEqualTo("for 1");
    assertThat(fd.get("/vary", "Foo", "2").body()).isEqualTo("for 2");
    assertThat(fd.get("/vary", "Foo", "1").body()).isEqualTo("for 1");
    assertThat(fd.get("/vary", "Foo", "2").header("cache-status")).contains("hit");
    assertThat(fd.get("/vary").header("cache-status")).contains("fwd=vary-miss");
    assertThat(origin.calls("/vary")).isEqualTo(3);

    origin.on("/vary-star", Reply.of(200, "x", "Cache-Control", "max-age=600", "Vary", "*"));
    fd.get("/vary-star");
    fd.get("/vary-star");
    assertThat(origin.calls("/vary-star")).isEqualTo(2);
  }

  @Test
  void aSuccessfulUnsafeRequestInvalidatesItsUriAndSameOriginLocations() {
    origin.on("/inv/a", Reply.of(200, "a", "Cache-Control", "max-age=600"));
    origin.on("/inv/b", Reply.of(200, "b", "Cache-Control", "max-age=600"));
    origin.on("/inv/post", (n, req) -> req.method().equals("POST")
        ? Reply.of(n == 2 ? 500 : 201, "", "Location", "/inv/a", "Content-Location", "http://elsewhere.test/inv/b")
        : Reply.of(200, "post", "Cache-Control", "max-age=600"));
    fd.get("/inv/a");
    fd.get("/inv/b");
    fd.get("/inv/post");
    fd.send("POST", "/inv/post", "x"); // call 2: a 500 invalidates nothing
    assertThat(fd.get("/inv/post").header("cache-status")).contains("hit");
    fd.send("POST", "/inv/post", "x");
    assertThat(fd.get("/inv/post").header("cache-status")).contains("fwd=uri-miss");
    assertThat(fd.get("/inv/a").header("cache-status")).contains("fwd=uri-miss");
    assertThat(fd.get("/inv/b").header("cache-status")).contains("hit");
  }

  @Test
  void aPostResponseNamingItsOwnUriAnswersLaterGets() {
    origin.on("/posted", (n, req) -> req.method().equals("POST")
        ? Reply.of(200, "made", "Cache-Control", "max-age=600", "Content-Location", "/posted")
        : Reply.of(200, "got", "Cache-Control", "max-age=600"));
    assertThat(fd.send("POST", "/posted", "x").body()).isEqualTo("made");
    Response r = fd.get("/posted");
    assertThat(r.body()).isEqualTo("made");
    assertThat(r.header("cache-status")).contains("hit");
    origin.on("/posted-elsewhere", (n, req) -> Reply.of(200, req.method(), "Cache-Control", "max-age=600",
        "Content-Location", "/somewhere-else"));
    fd.send("POST", "/posted-elsewhere", "x");
    assertThat(fd.get("/posted-elsewhere").body()).isEqualTo("GET");
  }

  @Test
  void anUpstreamErrorIsAnsweredWithTheStaleResponseWhereAllowed() {
    origin.on("/sie", (n, req) -> n == 1 ? Reply.of(200, "good", "Cache-Control", "max-age=1", "Age", "2")
        : Reply.of(503, "down"));
    fd.get("/sie");
    Response r = fd.get("/sie");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("good");
    assertThat(r.header("cache-status")).contains("fwd=stale; fwd-status=503").contains("stale-if-error");

    origin.on("/sie-gone", (n, req) -> n == 1 ? Reply.of(200, "good", "Cache-Control", "max-age=1", "Age", "2")
        : Reply.dropped());
    fd.get("/sie-gone");
    assertThat(fd.get("/sie-gone").body()).isEqualTo("good");

    origin.on("/sie-mr", (n, req) -> n == 1
        ? Reply.of(200, "good", "Cache-Control", "max-age=1, must-revalidate", "Age", "2")
        : Reply.of(503, "down"));
    fd.get("/sie-mr");
    assertThat(fd.get("/sie-mr").status()).isEqualTo(503);
  }

  @Test
  void headIsAnsweredFromAStoredGetWithTheFullLength() {
    origin.on("/head", Reply.of(200, "0123456789", "Cache-Control", "max-age=600"));
    fd.get("/head");
    Response h = fd.send("HEAD", "/head", null);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.header("content-length")).isEqualTo("10");
    assertThat(h.header("cache-status")).contains("hit");
    assertThat(h.body()).isEmpty();
    assertThat(origin.calls("/head")).isEqualTo(1);
  }

  @Test
  void onlyIfCachedWithNothingStoredIs504() {
    Response r = fd.get("/oic", "Cache-Control", "only-if-cached");
    assertThat(r.status()).isEqualTo(504);
    assertThat(origin.calls("/oic")).isZero();
  }

  @Test
  void aChunkedResponseIsStoredAndServedWithItsLength() {
    origin.on("/chunked", Reply.of(200, "abcdef", "Cache-Control", "max-age=600", "Transfer-Encoding", "chunked"));
    assertThat(fd.get("/chunked").body()).isEqualTo("abcdef");
    Response hit = fd.get("/chunked");
    assertThat(hit.body()).isEqualTo("abcdef");
    assertThat(hit.header("content-length")).isEqualTo("6");
  }

  @Test
  void theCacheStatusIsAnAttributeOfTheTrace() {
    origin.on("/traced", Reply.of(200, "t", "Cache-Control", "max-age=600"));
    JsonObject request = new JsonObject().put("site", "testkit").put("method", "GET").put("path", "/traced");
    Response first = fd.admin("POST", "/trace", request);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getJsonObject("trace").getJsonObject("record").getJsonObject("attributes")
        .getString("cache.status")).isEqualTo("Frontdesk; fwd=uri-miss; fwd-status=200; stored");
    Response second = fd.admin("POST", "/trace", request);
    assertThat(second.json().getJsonObject("trace").getJsonObject("record").getJsonObject("attributes")
        .getString("cache.status")).startsWith("Frontdesk; hit");
  }

  @Test
  void staleWhileRevalidateAnswersAtOnceAndRevalidatesInTheBackground() throws Exception {
    java.util.concurrent.CompletableFuture<Void> originSpeaks = new java.util.concurrent.CompletableFuture<>();
    origin.on("/swr", (n, req) -> n == 1
        ? Reply.of(200, "old", "Cache-Control", "max-age=1, stale-while-revalidate=600", "Age", "2", "ETag", "\"a\"")
        : Reply.of(200, "new", "Cache-Control", "max-age=600", "ETag", "\"b\"").when(originSpeaks));
    fd.get("/swr");
    Response stale = fd.get("/swr"); // answered while the origin is still silent
    assertThat(stale.body()).isEqualTo("old");
    assertThat(stale.header("cache-status")).contains("hit").contains("stale-while-revalidate");
    assertThat(fd.get("/swr").body()).isEqualTo("old");
    originSpeaks.complete(null);
    long deadline = System.currentTimeMillis() + 5000;
    while (fd.get("/swr").body().equals("old")) {
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(origin.calls("/swr")).isEqualTo(2); // one background revalidation for the key
    assertThat(origin.seen("/swr").get(1).header("if-none-match")).isEqualTo("\"a\"");
    assertThat(fd.get("/swr").header("cache-status")).startsWith("Frontdesk; hit; ttl=");
  }
}
