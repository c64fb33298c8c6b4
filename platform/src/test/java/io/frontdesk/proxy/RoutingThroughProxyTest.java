package io.frontdesk.proxy;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests reach the upstream the routes choose, with the path the route sends. */
class RoutingThroughProxyTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend a;
  static TestBackend b;
  static TestBackend c;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    a = TestBackend.start("a");
    b = TestBackend.start("b");
    c = TestBackend.start("c");
    for (TestBackend be : List.of(a, b, c)) {
      expect(201, api.post("/upstreams", new JsonObject().put("name", be.name()).put("targets",
          new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", be.port())))));
    }
    site("exact", "shop.example.com");
    site("wild", "*.example.com");
    site("any", "*");
    route("shop-default", "exact", "a", new JsonObject());
    route("shop-api", "exact", "b", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/api"))
        .put("stripPrefix", true));
    route("shop-exact", "exact", "c", new JsonObject().put("match", new JsonObject().put("path", "/api/special")));
    route("shop-regex", "exact", "c", new JsonObject().put("match", new JsonObject().put("pathRegex", "/u/([0-9]+)/x"))
        .put("rewrite", "/users/$1"));
    route("shop-post", "exact", "c", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/forms")
        .put("methods", new JsonArray().add("POST"))));
    route("shop-canary", "exact", "c", new JsonObject().put("priority", 10).put("match", new JsonObject()
        .put("pathPrefix", "/").put("headers", new JsonObject().put("x-canary", "1"))));
    route("shop-v1", "exact", "b", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/v1/"))
        .put("rewrite", "/v2/"));
    route("shop-host", "exact", "b", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/keep-host"))
        .put("preserveHost", true));
    route("wild-default", "wild", "b", new JsonObject());
    route("any-default", "any", "c", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/only")));
  }

  static void site(String name, String host) {
    expect(201, api.post("/sites", new JsonObject().put("name", name).put("hosts", new JsonArray().add(host))));
  }

  static void route(String name, String site, String upstream, JsonObject extra) {
    expect(201, api.post("/routes", extra.copy().put("name", name).put("site", site).put("upstream", upstream)));
  }

  @AfterAll
  static void stop() {
    node.close();
    a.close();
    b.close();
    c.close();
  }

  static JsonObject echo(String host, String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Host";
    all[1] = host;
    System.arraycopy(headers, 0, all, 2, headers.length);
    Http.Response r = Http.get(node.proxy() + path, all);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void exactHostBeatsWildcardWhichBeatsCatchAll() {
    assertThat(echo("shop.example.com", "/").getString("backend")).isEqualTo("a");
    assertThat(echo("other.example.com", "/").getString("backend")).isEqualTo("b");
    assertThat(echo("deep.sub.example.com", "/").getString("backend")).isEqualTo("b");
    assertThat(echo("SHOP.Example.COM:8080", "/").getString("backend")).isEqualTo("a");
    assertThat(echo("elsewhere.test", "/only/x").getString("backend")).isEqualTo("c");
  }

  @Test
  void longestPrefixAndExactPathAndRegexPickTheRoute() {
    assertThat(echo("shop.example.com", "/api/users").getString("uri")).isEqualTo("/users");
    assertThat(echo("shop.example.com", "/api/users").getString("backend")).isEqualTo("b");
    assertThat(echo("shop.example.com", "/api").getString("uri")).isEqualTo("/");
    assertThat(echo("shop.example.com", "/apix").getString("backend")).isEqualTo("a"); // not under /api
    assertThat(echo("shop.example.com", "/api/special").getString("backend")).isEqualTo("c");
    assertThat(echo("shop.example.com", "/u/42/x?q=1").getString("uri")).isEqualTo("/users/42?q=1");
    assertThat(echo("shop.example.com", "/v1/items?x=y").getString("uri")).isEqualTo("/v2/items?x=y");
  }

  @Test
  void methodsAndHeadersAndPriorityNarrowTheMatch() {
    assertThat(echo("shop.example.com", "/forms/1").getString("backend")).isEqualTo("a"); // GET is not POST
    Http.Response post = Http.send("POST", node.proxy() + "/forms/1", "x=1", "Host", "shop.example.com");
    assertThat(post.json().getString("backend")).isEqualTo("c");
    assertThat(echo("shop.example.com", "/api/users", "x-canary", "1").getString("backend")).isEqualTo("c");
  }

  @Test
  void hostHeaderIsTheTargetsUnlessTheRoutePreservesIt() {
    JsonObject normal = echo("shop.example.com", "/");
    assertThat(normal.getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + a.port());
    assertThat(normal.getJsonObject("headers").getString("x-forwarded-host")).isEqualTo("shop.example.com");
    JsonObject kept = echo("shop.example.com", "/keep-host");
    assertThat(kept.getJsonObject("headers").getString("host")).isEqualTo("shop.example.com");
  }

  @Test
  void pathsAreNormalisedBeforeMatching() {
    assertThat(echo("shop.example.com", "/x/../api//users/./me").getString("uri")).isEqualTo("/users/me");
    assertThat(echo("shop.example.com", "/%61pi/users").getString("uri")).isEqualTo("/users");
    // An escaped slash is refused unless the route allows it (RequestAdmissionTest has the opt-out).
    assertThat(Http.get(node.proxy() + "/files/a%2Fb", "Host", "shop.example.com").status()).isEqualTo(400);
    Http.Response escape = Http.get(node.proxy() + "/../../etc/passwd", "Host", "shop.example.com");
    assertThat(escape.status()).isEqualTo(400);
  }

  @Test
  void noSiteOrNoRouteAnswers404InHtmlOrJsonWithoutInternals() {
    // "any" (catch-all) only routes /only: other paths have no route.
    Http.Response html = Http.get(node.proxy() + "/nothing", "Host", "nowhere.test", "Accept", "text/html");
    assertThat(html.status()).isEqualTo(404);
    assertThat(html.header("content-type")).startsWith("text/html");
    assertThat(html.body()).contains("404 Not Found").doesNotContain("127.0.0.1").doesNotContain("any-default");
    Http.Response json = Http.get(node.proxy() + "/nothing", "Host", "nowhere.test", "Accept", "application/json");
    assertThat(json.status()).isEqualTo(404);
    assertThat(json.json().getInteger("status")).isEqualTo(404);
    assertThat(json.json().getString("requestId")).isEqualTo(json.header("x-request-id"));
  }

  @Test
  void aDisabledSiteAnswersNothing() {
    site("off", "off.test");
    route("off-route", "off", "a", new JsonObject());
    assertThat(echo("off.test", "/").getString("backend")).isEqualTo("a");
    expect(200, api.patch("/sites/off", new JsonObject().put("enabled", false)));
    // Falls through to the catch-all site, which has no route for "/".
    assertThat(Http.get(node.proxy() + "/", "Host", "off.test").status()).isEqualTo(404);
  }
}
