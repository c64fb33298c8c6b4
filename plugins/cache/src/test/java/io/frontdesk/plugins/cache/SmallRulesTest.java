package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cache-Status members, stale-if-error windows, invalidation targets and validators. */
class SmallRulesTest {

  static final long T = 1_800_000_000_000L;

  @Test
  void cacheStatusMembersFollowRfc9211() {
    assertThat(new CacheStatus("Frontdesk").hit().ttl(42)).hasToString("Frontdesk; hit; ttl=42");
    assertThat(new CacheStatus("Frontdesk").fwd(CacheStatus.Fwd.URI_MISS).fwdStatus(200).stored(true))
        .hasToString("Frontdesk; fwd=uri-miss; fwd-status=200; stored");
    assertThat(new CacheStatus("edge").fwd(CacheStatus.Fwd.STALE).ttl(-3).detail("say \"hi\""))
        .hasToString("edge; fwd=stale; ttl=-3; detail=\"say \\\"hi\\\"\"");
    assertThat(new CacheStatus("c").none().detail("only-if-cached")).hasToString("c; detail=\"only-if-cached\"");
  }

  static StoredHead head(String cc) {
    return StoredHead.capture(200, TestHeaders.of("Cache-Control", cc, "Date", HttpDate.format(T / 1000)), T, T,
        VaryKey.NONE, null);
  }

  @Test
  void staleIfErrorTakesTheLongerExplicitWindowElseTheOperatorsAndNeverForMustRevalidate() {
    RequestDirectives none = RequestDirectives.NONE;
    RequestDirectives req10 = RequestDirectives.of(TestHeaders.of("Cache-Control", "stale-if-error=10"));
    assertThat(StaleIfError.allowed(head("max-age=0, stale-if-error=1"), none, 60, T + 500)).isTrue();
    assertThat(StaleIfError.allowed(head("max-age=0, stale-if-error=1"), none, 60, T + 3000)).isFalse();
    assertThat(StaleIfError.allowed(head("max-age=0, stale-if-error=1"), req10, 0, T + 3000)).isTrue();
    assertThat(StaleIfError.allowed(head("max-age=0"), req10, 60, T + 11_000)).isFalse();
    assertThat(StaleIfError.allowed(head("max-age=0"), none, 60, T + 59_000)).isTrue();
    assertThat(StaleIfError.allowed(head("max-age=0"), none, 0, T + 1000)).isFalse();
    for (String cc : List.of("max-age=0, must-revalidate", "max-age=0, proxy-revalidate", "s-maxage=0",
        "no-cache")) {
      assertThat(StaleIfError.allowed(head(cc + ", stale-if-error=600"), none, 600, T + 1000)).as(cc).isFalse();
    }
    assertThat(StaleIfError.isError(500)).isTrue();
    assertThat(StaleIfError.isError(501)).isFalse();
  }

  static io.frontdesk.api.http.ClientRequest request(String method, String path) {
    return new io.frontdesk.api.http.ClientRequest() {
      @Override public String method() { return method; }
      @Override public String target() { return path; }
      @Override public String path() { return path; }
      @Override public String query() { return null; }
      @Override public String host() { return "shop.test"; }
      @Override public String scheme() { return "http"; }
      @Override public String protocol() { return "HTTP/1.1"; }
      @Override public io.frontdesk.api.http.HeaderFields headers() { return TestHeaders.of(); }
    };
  }

  @Test
  void anUnsafeRequestInvalidatesItsUriAndSameOriginLocations() {
    CacheKeys keys = new CacheKeys();
    assertThat(Invalidation.keys(request("POST", "/a/b"), TestHeaders.of("Location", "c?x=1",
        "Content-Location", "http://shop.test/d"), keys))
        .containsExactly("http://shop.test/a/b", "http://shop.test/a/c?x=1", "http://shop.test/d");
    assertThat(Invalidation.keys(request("POST", "/a"), TestHeaders.of("Location", "http://other.test/a",
        "Content-Location", "https://shop.test/a"), keys)).containsExactly("http://shop.test/a");
    assertThat(Invalidation.safe("GET")).isTrue();
    assertThat(Invalidation.safe("M-SEARCH")).isFalse();
    assertThat(Invalidation.invalidates(204)).isTrue();
    assertThat(Invalidation.invalidates(404)).isFalse();
  }

  @Test
  void validatorsReplaceTheClientsPreconditionsAndQuoteABareEtag() {
    TestHeaders req = TestHeaders.of("If-None-Match", "\"client\"", "Range", "bytes=0-1", "Accept", "*/*");
    StoredHead h = StoredHead.capture(200, TestHeaders.of("ETag", "abc", "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
        T, T, VaryKey.NONE, null);
    Validators.apply(req, h);
    assertThat(req.get("if-none-match")).isEqualTo("\"abc\"");
    assertThat(req.get("if-modified-since")).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(req.get("range")).isNull();
    assertThat(req.get("accept")).isEqualTo("*/*");
    assertThat(Validators.quoted("W/\"x\"")).isEqualTo("W/\"x\"");
  }
}
