package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clients' preconditions and ranges answered from stored responses, through a real node. */
class ConditionalsAndRangesTest {

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

  static String date(long offsetSeconds) {
    return HttpDate.format(System.currentTimeMillis() / 1000 + offsetSeconds);
  }

  @Test
  void ifNoneMatchIsAnswered304FromTheStoreWithTheEtag() {
    origin.on("/inm", Reply.of(200, "body", "Cache-Control", "max-age=600", "ETag", "\"abcdef\"",
        "Content-Type", "text/plain"));
    fd.get("/inm");
    Response r = fd.get("/inm", "If-None-Match", "\"1234\", \"abcdef\"");
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.header("etag")).isEqualTo("\"abcdef\"");
    assertThat(r.header("cache-control")).isEqualTo("max-age=600");
    assertThat(r.header("content-type")).isNull();
    assertThat(r.header("cache-status")).contains("hit");
    assertThat(r.body()).isEmpty();
    assertThat(fd.get("/inm", "If-None-Match", "\"other\"").status()).isEqualTo(200);
    assertThat(origin.calls("/inm")).isEqualTo(1);
  }

  @Test
  void ifModifiedSinceIsAnswered304WhenNothingChangedSince() {
    String lm = date(-3000);
    origin.on("/ims", Reply.of(200, "body", "Cache-Control", "max-age=600", "Last-Modified", lm, "Date", date(0)));
    fd.get("/ims");
    assertThat(fd.get("/ims", "If-Modified-Since", lm).status()).isEqualTo(304);
    assertThat(fd.get("/ims", "If-Modified-Since", date(-2000)).status()).isEqualTo(304);
    assertThat(fd.get("/ims", "If-Modified-Since", date(-4000)).status()).isEqualTo(200);
  }

  @Test
  void aFailedIfMatchIs412() {
    origin.on("/im", Reply.of(200, "body", "Cache-Control", "max-age=600", "ETag", "\"a\""));
    fd.get("/im");
    assertThat(fd.get("/im", "If-Match", "\"b\"").status()).isEqualTo(412);
    assertThat(fd.get("/im", "If-Match", "\"a\"").status()).isEqualTo(200);
    assertThat(origin.calls("/im")).isEqualTo(1);
  }

  @Test
  void theClientsConditionalIsAnsweredFromAResponseJustValidated() {
    origin.on("/cond-stale", (n, req) -> n == 1
        ? Reply.of(200, "body", "Cache-Control", "max-age=1", "Age", "5", "ETag", "\"v\"")
        : Reply.of(304, null, "Cache-Control", "max-age=600", "ETag", "\"v\""));
    fd.get("/cond-stale");
    Response r = fd.get("/cond-stale", "If-None-Match", "\"v\"");
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.header("cache-status")).contains("fwd=stale; fwd-status=304");
  }

  @Test
  void rangesAreServedFromAStoredCompleteResponse() {
    origin.on("/range", Reply.of(200, "0123456789A", "Cache-Control", "max-age=600", "ETag", "\"r\"",
        "Content-Type", "text/plain"));
    fd.get("/range");
    Response one = fd.get("/range", "Range", "bytes=0-1");
    assertThat(one.status()).isEqualTo(206);
    assertThat(one.body()).isEqualTo("01");
    assertThat(one.header("content-range")).isEqualTo("bytes 0-1/11");
    assertThat(one.header("content-length")).isEqualTo("2");
    assertThat(fd.get("/range", "Range", "bytes=1-").body()).isEqualTo("123456789A");
    assertThat(fd.get("/range", "Range", "bytes=-1").body()).isEqualTo("A");

    Response two = fd.get("/range", "Range", "bytes=0-0, 5-6");
    assertThat(two.status()).isEqualTo(206);
    String type = two.header("content-type");
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    String boundary = type.substring(type.indexOf('=') + 1);
    assertThat(two.body()).contains("--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-0/11"
        + "\r\n\r\n0\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-6/11\r\n\r\n56\r\n--"
        + boundary + "--\r\n");

    Response none = fd.get("/range", "Range", "bytes=50-60");
    assertThat(none.status()).isEqualTo(416);
    assertThat(none.header("content-range")).isEqualTo("bytes */11");

    assertThat(fd.get("/range", "Range", "bytes=5-1").status()).isEqualTo(200); // invalid: ignored
    assertThat(fd.get("/range", "Range", "bytes=0-1", "If-Range", "\"r\"").status()).isEqualTo(206);
    assertThat(fd.get("/range", "Range", "bytes=0-1", "If-Range", "\"old\"").status()).isEqualTo(200);
    assertThat(origin.calls("/range")).isEqualTo(1);
  }
}
