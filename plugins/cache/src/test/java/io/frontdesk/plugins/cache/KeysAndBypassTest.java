package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.HeaderFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysAndBypassTest {

  static ClientRequest request(String method, String path, String query, String... fields) {
    return new ClientRequest() {
      @Override public String method() { return method; }
      @Override public String target() { return query == null ? path : path + "?" + query; }
      @Override public String path() { return path; }
      @Override public String query() { return query; }
      @Override public String host() { return "shop.test"; }
      @Override public String scheme() { return "https"; }
      @Override public String protocol() { return "HTTP/1.1"; }
      @Override public HeaderFields headers() { return TestHeaders.of(fields); }
    };
  }

  static CacheKeys keys(JsonObject key) {
    return CacheKeys.parse(key);
  }

  @Test
  void theDefaultKeyIsTheWholeUrl() {
    assertThat(new CacheKeys().of(request("GET", "/a", "b=2&a=1"))).isEqualTo("https://shop.test/a?b=2&a=1");
    assertThat(new CacheKeys().of(request("GET", "/a", null))).isEqualTo("https://shop.test/a");
  }

  @Test
  void theQueryMayBeSortedFilteredOrLeftOut() {
    ClientRequest r = request("GET", "/a", "utm_source=x&b=2&a=1");
    assertThat(keys(new JsonObject().put("query", "sorted")).of(r)).isEqualTo("https://shop.test/a?a=1&b=2&utm_source=x");
    assertThat(keys(new JsonObject().put("query", "none")).of(r)).isEqualTo("https://shop.test/a");
    assertThat(keys(new JsonObject().put("queryExclude", new JsonArray().add("utm_source"))).of(r))
        .isEqualTo("https://shop.test/a?a=1&b=2");
    assertThat(keys(new JsonObject().put("queryInclude", new JsonArray().add("b"))).of(r))
        .isEqualTo("https://shop.test/a?b=2");
    assertThat(keys(new JsonObject().put("scheme", false).put("host", false)).of(r))
        .isEqualTo("/a?utm_source=x&b=2&a=1");
  }

  @Test
  void fieldsAndCookiesOfTheKeyKeepVariantsApart() {
    CacheKeys k = keys(new JsonObject().put("headers", new JsonArray().add("X-Device"))
        .put("cookies", new JsonArray().add("lang")));
    assertThat(k.fields()).containsExactly("x-device", "cookie:lang");
    HeaderFields view = k.view(TestHeaders.of("Cookie", "a=1; lang=de", "X-Device", "phone"));
    assertThat(view.getAll("cookie:lang")).containsExactly("de");
    VaryKey stored = VaryKey.NONE.plus(k.fields()).of(view);
    assertThat(stored.matches(k.view(TestHeaders.of("Cookie", "lang=de;b=2", "X-Device", "phone")))).isTrue();
    assertThat(stored.matches(k.view(TestHeaders.of("Cookie", "lang=fr", "X-Device", "phone")))).isFalse();
    assertThat(stored.matches(k.view(TestHeaders.of("X-Device", "phone")))).isFalse();
  }

  @Test
  void bypassRulesMatchMethodsPathsFieldsAndCookies() {
    BypassRules b = BypassRules.parse(new JsonObject().put("methods", new JsonArray().add("head"))
        .put("paths", new JsonArray().add("/admin").add("/api/private*"))
        .put("headers", new JsonArray().add("X-No-Cache"))
        .put("cookies", new JsonArray().add("session").add("wp_logged_in_*")));
    assertThat(b.reason(request("GET", "/shop", null))).isNull();
    assertThat(b.reason(request("HEAD", "/shop", null))).isEqualTo("method HEAD");
    assertThat(b.reason(request("GET", "/admin/x", null))).isEqualTo("path /admin");
    assertThat(b.reason(request("GET", "/api/private/1", null))).isEqualTo("path /api/private");
    assertThat(b.reason(request("GET", "/x", null, "x-no-cache", "1"))).isEqualTo("field X-No-Cache");
    assertThat(b.reason(request("GET", "/x", null, "Cookie", "a=1; session=abc"))).isEqualTo("cookie session");
    assertThat(b.reason(request("GET", "/x", null, "Cookie", "wp_logged_in_42=y"))).isEqualTo("cookie wp_logged_in_42");
    assertThat(b.reason(request("GET", "/x", null, "Cookie", "sessionid=1"))).isNull();
    assertThat(BypassRules.NONE.reason(request("GET", "/admin", null))).isNull();
    assertThat(List.of()).isEmpty();
  }
}
