package io.frontdesk.proxy;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawBackend;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a client may make the proxy send on: path variants past route-scoped rules, forwarding
 * claims, protocol upgrades, its own request id in an error page.
 */
class RequestAdmissionTest {

  static TestNode node;
  static Http.Admin api;
  static RawBackend admin;
  static RawBackend pub;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    admin = RawBackend.ok();
    pub = new RawBackend(RequestAdmissionTest::answer);
    expect(201, api.post("/upstreams", upstream("admin-be", admin.port())));
    expect(201, api.post("/upstreams", upstream("pub-be", pub.port())));
    expect(201, api.post("/sites", new JsonObject().put("name", "shop").put("hosts", new JsonArray().add("*"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "shop-admin").put("site", "shop")
        .put("upstream", "admin-be").put("match", new JsonObject().put("pathPrefix", "/admin"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "shop").put("site", "shop").put("upstream", "pub-be")));
  }

  /** The public backend: 200, or a 101 to whatever asks for a switch (right or wrong, by path). */
  static String answer(RawBackend.Seen s) {
    String path = s.requestLine().split(" ")[1];
    if (path.startsWith("/ws-wrong-accept")) {
      return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBvbmU=\r\n\r\n";
    }
    if (path.startsWith("/ws-other-protocol")) {
      return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x-raw\r\nConnection: Upgrade\r\n\r\n";
    }
    if (path.startsWith("/unasked-101")) {
      return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x-raw\r\nConnection: Upgrade\r\n\r\n";
    }
    return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  }

  static JsonObject upstream(String name, int port) {
    return new JsonObject().put("name", name)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)));
  }

  @AfterAll
  static void stop() {
    node.close();
    admin.close();
    pub.close();
  }

  static String raw(String request) {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send(request);
      return c.readUntil("\r\n\r\n");
    }
  }

  static List<String> pathsAt(RawBackend b) {
    return b.requests().stream().map(s -> s.requestLine().split(" ")[1]).toList();
  }

  @Test
  void pathVariantsOfARouteNeverSlipToAnotherRoute() {
    assertThat(raw("GET /ADMIN/users HTTP/1.1\r\nHost: shop\r\n\r\n")).startsWith("HTTP/1.1 200");
    String[] refused = {"/admin;x", "/x/..;/admin", "/x%2F..%2Fadmin", "/admin%2f", "/%2fadmin", "/admin%00",
        "/admin%5c", "/admin\\x", "/x/%2e%2e%5cadmin"};
    for (String p : refused) {
      assertThat(raw("GET " + p + " HTTP/1.1\r\nHost: shop\r\n\r\n")).as(p).startsWith("HTTP/1.1 400");
    }
    RequestFramingTest.settle();
    assertThat(pathsAt(admin)).containsExactly("/ADMIN/users"); // forwarded as sent, matched without case
    assertThat(pathsAt(pub)).noneMatch(p -> p.toLowerCase().contains("admin"));
  }

  @Test
  void aRouteMayOptOutOfThePathChecksAndMatchWithCase() {
    expect(201, api.post("/sites", new JsonObject().put("name", "api").put("hosts", new JsonArray().add("api.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "api").put("site", "api").put("upstream", "pub-be")
        .put("match", new JsonObject().put("pathPrefix", "/files")).put("allowEncodedSlashes", true)
        .put("allowPathParameters", true).put("caseSensitive", true)));
    assertThat(raw("GET /files/a%2Fb;v=1 HTTP/1.1\r\nHost: api.test\r\n\r\n")).startsWith("HTTP/1.1 200");
    assertThat(raw("GET /FILES/a HTTP/1.1\r\nHost: api.test\r\n\r\n")).startsWith("HTTP/1.1 404");
    assertThat(pathsAt(pub)).contains("/files/a%2Fb;v=1").doesNotContain("/FILES/a");
  }

  @Test
  void forwardingClaimsOfAnUntrustedClientNeverReachTheBackend() {
    raw("GET /claims HTTP/1.1\r\nHost: shop\r\nForwarded: for=1.2.3.4;host=evil\r\nX-Forwarded-Port: 1\r\n"
        + "X-Forwarded-Prefix: /evil\r\nX-Forwarded-Server: evil\r\nX-Original-URL: /admin\r\n"
        + "X-Rewrite-URL: /admin\r\nTrue-Client-IP: 1.2.3.4\r\nX-Client-IP: 1.2.3.4\r\nCF-Connecting-IP: 1.2.3.4\r\n"
        + "X_Forwarded_For: 6.6.6.6\r\nX_Real_IP: 6.6.6.6\r\nX_Original_URL: /admin\r\n\r\n");
    RawBackend.Seen s = pub.requests().stream().filter(r -> r.requestLine().contains("/claims")).findFirst().orElseThrow();
    for (String h : List.of("forwarded", "x-forwarded-prefix", "x-forwarded-server", "x-original-url", "x-rewrite-url",
        "true-client-ip", "x-client-ip", "cf-connecting-ip", "x_forwarded_for", "x_real_ip", "x_original_url")) {
      assertThat(s.header(h)).as(h).isNull();
    }
    assertThat(s.header("x-forwarded-port")).isEqualTo(Integer.toString(node.proxyPort()));
    assertThat(s.header("x-forwarded-host")).isEqualTo("shop");
  }

  @Test
  void onlyAllowedUpgradesAreForwardedAndA101MustMatchTheRequest() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /upgrade-x HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade\r\nUpgrade: x-raw\r\n\r\n");
      assertThat(c.readUntil("ok")).startsWith("HTTP/1.1 200");
      c.send("GET /after-upgrade-x HTTP/1.1\r\nHost: shop\r\n\r\n");
      assertThat(RawHttp.count(c.readUntil("okHTTP/1.1 200 OK"), "HTTP/1.1 200")).isEqualTo(2);
    }
    RawBackend.Seen x = pub.requests().stream().filter(r -> r.requestLine().contains("/upgrade-x")).findFirst()
        .orElseThrow();
    assertThat(x.header("upgrade")).isNull();
    assertThat(x.header("connection")).isNull();
    assertThat(pathsAt(pub)).contains("/after-upgrade-x");

    String ws = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    assertThat(raw("GET /ws-wrong-accept HTTP/1.1\r\nHost: shop\r\n" + ws)).startsWith("HTTP/1.1 502");
    assertThat(raw("GET /ws-other-protocol HTTP/1.1\r\nHost: shop\r\n" + ws)).startsWith("HTTP/1.1 502");
    assertThat(raw("GET /unasked-101 HTTP/1.1\r\nHost: shop\r\n\r\n")).startsWith("HTTP/1.1 502");
    assertThat(raw("GET /h2c-upgrade HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    RawBackend.Seen h2c = pub.requests().stream().filter(r -> r.requestLine().contains("/h2c-upgrade")).findFirst()
        .orElseThrow();
    assertThat(h2c.header("upgrade")).isNull();
    assertThat(h2c.header("http2-settings")).isNull();
  }

  @Test
  void aTrustedPeersRequestIdIsEscapedInErrorPages() {
    try (TestNode trusting = TestNode.onDatabase(node.dbUrl(), "--trusted-proxies", "127.0.0.0/8")) {
      Http.Response html = Http.get(trusting.proxy() + "/admin;refused",
          "X-Request-Id", "<script>alert(1)</script>");
      assertThat(html.status()).isEqualTo(400);
      assertThat(html.body()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
      Http.Response json = Http.get(trusting.proxy() + "/admin;refused",
          "X-Request-Id", "a\"b", "Accept", "application/json");
      assertThat(new JsonObject(json.body()).getString("requestId")).isEqualTo("a\"b");
    }
  }
}
