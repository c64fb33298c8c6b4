package io.frontdesk.proxy;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.Headers;
import io.frontdesk.pluginhost.PluginHost;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a filter may read of the request beyond its head: the client's request as it came (after
 * rewrites), and the body before it decides — which still reaches the upstream whole, once.
 */
class FilterRequestAccessTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;
  /** What the body scanner saw: "complete:<bytes>" or "partial:<bytes>". */
  static final List<String> scanned = new CopyOnWriteArrayList<>();
  static final List<String> refusals = new CopyOnWriteArrayList<>();
  static final List<String> careless = new CopyOnWriteArrayList<>();

  /** A filter made of one request-phase function. */
  record OnRequest(int priority, Function<Exchange, Future<FilterResult>> fn) implements FilterFactory {
    @Override
    public int defaultPriority() {
      return priority;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          return fn.apply(ex);
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          ClientRequest c = ex.clientRequest();
          if (ex.request().headers().get("x-echo") != null) {
            ex.response().headers().set("x-client-path", c.path()).set("x-client-target", c.target())
                .set("x-client-query", String.valueOf(c.query()))
                .set("x-client-saw-added", String.valueOf(c.headers().contains("x-added")))
                .set("x-client-saw-xff", String.valueOf(c.headers().contains("x-forwarded-for")))
                .set("x-client-connection", String.valueOf(c.headers().get("connection")))
                .set("x-client-method", c.method()).set("x-client-host", c.host())
                .set("x-client-names", String.join(",", new java.util.TreeSet<>(c.headers().names())));
            try {
              ((Headers) c.headers()).set("x-nope", "1");
              ex.response().headers().set("x-client-read-only", "false");
            } catch (UnsupportedOperationException e) {
              ex.response().headers().set("x-client-read-only", "true");
            }
          }
          return FilterResult.proceed();
        }
      };
    }
  }

  /** Tries to read the body in the response phase, and says what it was told. */
  static final class LateReader implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 20;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          try {
            ex.readRequestBody(10);
            ex.response().headers().set("x-late-read", "allowed");
          } catch (IllegalStateException e) {
            ex.response().headers().set("x-late-read", e.getMessage());
          }
          return FilterResult.proceed();
        }
      };
    }
  }

  /** Reads the body up to 1 KiB (config "limit"): "evil" in it → 403; longer → 413 or pass ("oversize":"pass"). */
  static Future<FilterResult> scan(Exchange ex, int limit, boolean passOversize) {
    return ex.readRequestBody(limit).compose(body -> {
      String text = body.bytes().toString();
      scanned.add((body.complete() ? "complete:" : "partial:") + body.bytes().length());
      if (!body.complete()) {
        return passOversize ? FilterResult.proceed()
            : FilterResult.respond(LocalResponse.of(413, "body over the scanner's limit"));
      }
      return text.contains("evil") ? FilterResult.respond(LocalResponse.of(403, "evil body")) : FilterResult.proceed();
    }, err -> {
      refusals.add(err.getMessage());
      return Future.failedFuture(err);
    });
  }

  @BeforeAll
  static void start() {
    node = TestNode.start("--filter-timeout", "1s");
    api = node.admin();
    backend = TestBackend.start("access-be");
    PluginHost host = node.node().pluginHost();
    register(host, "rewriter", new OnRequest(10, ex -> {
      if (ex.request().headers().get("x-echo") != null) {
        ex.request().path("/changed" + ex.request().path());
        ex.request().query("q=2");
        ex.request().headers().set("x-added", "1");
      }
      return FilterResult.proceed();
    }));
    register(host, "scanner", new OnRequest(20, ex -> scan(ex, 1024, false)));
    register(host, "lenient-scanner", new OnRequest(20, ex -> scan(ex, 1024, true)));
    register(host, "second-reader", new OnRequest(30, ex -> ex.readRequestBody(4096).compose(b -> {
      scanned.add("second:" + (b.complete() ? "complete:" : "partial:") + b.bytes().length());
      return FilterResult.proceed();
    })));
    register(host, "late-reader", new LateReader());
    register(host, "careless-reader", new OnRequest(20, ex -> {
      ex.readRequestBody(100).onComplete(ar -> careless.add(ar.succeeded() ? "read" : ar.cause().getMessage()));
      return FilterResult.proceed(); // without waiting for the read
    }));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    site("echo", new JsonObject().put("match", new JsonObject().put("pathPrefix", "/api")).put("stripPrefix", true),
        "rewriter");
    site("scan", new JsonObject(), "scanner");
    site("lenient", new JsonObject(), "lenient-scanner", "second-reader");
    site("late", new JsonObject(), "late-reader");
    site("careless", new JsonObject(), "careless-reader");
  }

  static void register(PluginHost host, String id, FilterFactory f) {
    host.registerInProcess(id, "1", new PluginRegistry.Extensions(f, null, List.of()));
  }

  static void site(String name, JsonObject route, String... plugins) {
    expect(201, api.post("/sites", new JsonObject().put("name", name).put("hosts", new JsonArray().add(name + ".test"))));
    expect(201, api.post("/routes", route.copy().put("name", name).put("site", name).put("upstream", "be")));
    for (String p : plugins) {
      expect(201, api.post("/plugins/" + p + "/bindings", new JsonObject().put("scope", "route").put("target", name)));
    }
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  @Test
  void theClientsRequestStaysReadableAsItCameAfterRouteAndFilterRewrites() {
    Http.Response r = Http.get(node.proxy() + "/api/./a//b?x=%41", "Host", "echo.test", "x-echo", "1",
        "Connection", "keep-alive");
    assertThat(r.status()).isEqualTo(200);
    JsonObject upstream = r.json();
    assertThat(upstream.getString("uri")).isEqualTo("/changed/a/b?q=2");
    assertThat(upstream.getJsonObject("headers").getString("x-added")).isEqualTo("1");
    assertThat(r.header("x-client-path")).isEqualTo("/api/a/b");
    assertThat(r.header("x-client-target")).isEqualTo("/api/./a//b?x=%41");
    assertThat(r.header("x-client-query")).isEqualTo("x=%41");
    assertThat(r.header("x-client-method")).isEqualTo("GET");
    assertThat(r.header("x-client-host")).isEqualTo("echo.test");
    assertThat(r.header("x-client-saw-added")).isEqualTo("false");
    assertThat(r.header("x-client-saw-xff")).isEqualTo("false");
    assertThat(r.header("x-client-read-only")).isEqualTo("true");
  }

  @Test
  void aFilterReadsTheBodyBeforeDecidingAndTheUpstreamStillGetsItWholeOnce() {
    scanned.clear();
    String clean = "hello ".repeat(100); // 600 bytes, under the limit
    Http.Response ok = Http.send("POST", node.proxy() + "/echo", clean, "Host", "scan.test");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getString("body")).isEqualTo(clean);
    assertThat(scanned).containsExactly("complete:600");

    long before = backend.requests();
    Http.Response evil = Http.send("POST", node.proxy() + "/echo", "some evil words", "Host", "scan.test");
    assertThat(evil.status()).isEqualTo(403);
    assertThat(backend.requests()).isEqualTo(before); // refused before anything went upstream

    Http.Response big = Http.send("POST", node.proxy() + "/echo", "x".repeat(5000), "Host", "scan.test");
    assertThat(big.status()).isEqualTo(413);
    assertThat(scanned).endsWith("partial:1024");
  }

  @Test
  void aBodyOverTheLimitMayPassAndStreamsOnWholeWhileAnotherFilterReadsFurther() {
    scanned.clear();
    // 3 MiB, chunked: the first reader stops at 1 KiB, the second at 4 KiB, the backend gets all of it.
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      StringBuilder req = new StringBuilder("POST /sink HTTP/1.1\r\nHost: lenient.test\r\nTransfer-Encoding: chunked\r\n\r\n");
      raw.send(req.toString());
      String chunk = "y".repeat(64 * 1024);
      for (int i = 0; i < 48; i++) {
        raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
      raw.send("0\r\n\r\n");
      String resp = raw.readUntil("}");
      assertThat(resp).startsWith("HTTP/1.1 200").contains("\"bytes\":" + (48 * 64 * 1024));
    }
    assertThat(scanned).containsExactly("partial:1024", "second:partial:4096");
  }

  @Test
  void aClientThatExpectsContinueIsToldToSendWhenAFilterReadsTheBody() {
    scanned.clear();
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: scan.test\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      assertThat(raw.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 100");
      raw.send("hello world");
      assertThat(raw.readUntil("}")).contains("HTTP/1.1 200").contains("\"body\":\"hello world\"");
    }
    assertThat(scanned).containsExactly("complete:11");
  }

  @Test
  void aSlowUploadThatKeepsArrivingOutlastsTheFiltersTimeout() throws Exception {
    scanned.clear();
    // 4 pieces 400 ms apart: 1.6 s in all against the 1 s filter timeout, never 1 s without bytes.
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: scan.test\r\nContent-Length: 8\r\n\r\n");
      for (int i = 0; i < 4; i++) {
        Thread.sleep(400);
        raw.send("ab");
      }
      assertThat(raw.readUntil("}")).startsWith("HTTP/1.1 200").contains("\"body\":\"abababab\"");
    }
    assertThat(scanned).containsExactly("complete:8");
  }

  @Test
  void readingTheBodyAfterTheRequestPhaseIsRefusedNamingThePhase() {
    Http.Response r = Http.send("POST", node.proxy() + "/echo", "abc", "Host", "late.test");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-late-read")).contains("onRequest").contains("the response phase");
  }

  @Test
  void aFilterReadsTheBodyOfAnHttp2StreamAndTheUpstreamStillGetsItWhole() throws Exception {
    scanned.clear();
    try (H2Wire h2 = H2Wire.plain(node.proxyPort()).handshake()) {
      h2.request(1, false, ":method", "POST", ":scheme", "http", ":path", "/echo", ":authority", "scan.test");
      h2.data(1, false, "hello ".getBytes());
      Thread.sleep(100); // the filter waits for the rest
      h2.data(1, true, "world".getBytes());
      H2Wire.Frame head = h2.awaitResponse(1);
      assertThat(head.headers().status().toString()).isEqualTo("200");
      StringBuilder body = new StringBuilder();
      H2Wire.Frame f;
      do {
        f = h2.await("data on stream 1", x -> x.stream() == 1 && x.type() == H2Wire.DATA);
        body.append(new String(f.payload()));
      } while (!f.has(H2Wire.END_STREAM));
      assertThat(new JsonObject(body.toString()).getString("body")).isEqualTo("hello world");
    }
    assertThat(scanned).containsExactly("complete:11");
  }

  @Test
  void theClientsRequestOnHttp2HoldsOnlyTheFieldsTheClientSent() throws Exception {
    try (H2Wire h2 = H2Wire.plain(node.proxyPort()).handshake()) {
      h2.request(1, true, ":method", "GET", ":scheme", "http", ":path", "/api/x?y=1", ":authority", "echo.test",
          "x-echo", "1");
      H2Wire.Frame head = h2.awaitResponse(1);
      assertThat(head.headers().status().toString()).isEqualTo("200");
      assertThat(head.headers().get("x-client-target").toString()).isEqualTo("/api/x?y=1");
      assertThat(head.headers().get("x-client-names").toString()).doesNotContain("x-http2-");
    }
  }

  @Test
  void theClientsTargetInAbsoluteFormIsItsPathAndQuery() {
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      raw.send("GET http://echo.test/api/q?z=1 HTTP/1.1\r\nHost: echo.test\r\nx-echo: 1\r\n\r\n");
      String resp = raw.readUntil("}");
      assertThat(resp).startsWith("HTTP/1.1 200").containsIgnoringCase("x-client-target: /api/q?z=1\r\n");
    }
  }

  @Test
  void aReadNobodyWaitsForIsToldSoAndTheBodyStillGoesUpstreamWhole() throws Exception {
    careless.clear();
    try (RawHttp raw = new RawHttp(node.proxyPort())) {
      raw.send("POST /echo HTTP/1.1\r\nHost: careless.test\r\nContent-Length: 5\r\n\r\n");
      Thread.sleep(200); // the filters pass before the body comes
      raw.send("later");
      assertThat(raw.readUntil("}")).startsWith("HTTP/1.1 200").contains("\"body\":\"later\"");
    }
    assertThat(careless).singleElement().asString().contains("wait on readRequestBody");
  }
}
