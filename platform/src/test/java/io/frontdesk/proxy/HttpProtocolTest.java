package io.frontdesk.proxy;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 done right on both sides, HTTP/2 from clients, upgrades, and the error answers. */
class HttpProtocolTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    backend = TestBackend.start("be");
    api.simpleRoute("main", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  @Test
  void setsForwardingHeadersAndDropsHopByHopOnes() {
    Http.Response r = Http.get(node.proxy() + "/echo", "Connection", "keep-alive, X-Secret", "X-Secret", "s",
        "Keep-Alive", "timeout=5", "TE", "trailers", "Proxy-Authorization", "Basic eA==",
        "X-Request-Id", "client-chosen", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Proto", "https");
    JsonObject h = r.json().getJsonObject("headers");
    assertThat(h.fieldNames()).doesNotContain("x-secret", "keep-alive", "te", "proxy-authorization");
    assertThat(h.getString("connection")).isNull();
    assertThat(h.getString("x-forwarded-for")).isEqualTo("127.0.0.1"); // untrusted peer: its chain is dropped
    assertThat(h.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(h.getString("x-real-ip")).isEqualTo("127.0.0.1");
    String id = h.getString("x-request-id");
    assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("client-chosen");
    assertThat(r.header("x-request-id")).isEqualTo(id);
  }

  @Test
  void keepsForwardingHeadersFromTrustedProxies() {
    try (TestNode trusting = TestNode.onDatabase(node.dbUrl(), "--trusted-proxies", "127.0.0.0/8,10.0.0.0/8")) {
      Http.Response r = Http.get(trusting.proxy() + "/echo", "X-Request-Id", "abc-123",
          "X-Forwarded-For", "203.0.113.9, 10.1.1.1", "X-Forwarded-Proto", "https");
      JsonObject h = r.json().getJsonObject("headers");
      assertThat(h.getString("x-request-id")).isEqualTo("abc-123");
      assertThat(h.getString("x-forwarded-for")).isEqualTo("203.0.113.9, 10.1.1.1, 127.0.0.1");
      assertThat(h.getString("x-real-ip")).isEqualTo("203.0.113.9");
      assertThat(h.getString("x-forwarded-proto")).isEqualTo("https");
    }
  }

  @Test
  void reusesKeepAliveConnectionsToTheUpstream() {
    TestBackend own = TestBackend.start("ka");
    try {
      api.simpleRoute("ka", "ka.test", own.port());
      for (int i = 0; i < 50; i++) {
        assertThat(Http.get(node.proxy() + "/x", "Host", "ka.test").status()).isEqualTo(200);
      }
      assertThat(own.requests()).isEqualTo(50);
      assertThat(own.connections()).isLessThanOrEqualTo(2); // one per event loop at most
    } finally {
      own.close();
    }
  }

  @Test
  void streamsChunkedBodiesBothWays() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/sink"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(up.body()).getLong("bytes")).isEqualTo(body.length);
    HttpResponse<byte[]> down = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/bytes/1234567?chunked=1"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(down.body()).hasSize(1234567);
    assertThat(down.headers().firstValue("transfer-encoding")).hasValue("chunked");
  }

  @Test
  void answersExpectContinueOnceTheRequestIsAccepted() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
      c.send("hello");
      assertThat(c.readUntil("}")).contains("HTTP/1.1 200").contains("{\"bytes\":5}");
    }
  }

  @Test
  void refusesUnknownExpectations() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: something-else\r\n\r\nhello");
      assertThat(c.readUntil("</html>")).startsWith("HTTP/1.1 417");
    }
  }

  @Test
  void answers502WhenTheTargetRefusesAnd504WhenItIsSlow() {
    expect(201, api.post("/upstreams", new JsonObject().put("name", "dead").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", 1)))));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "slowpool").put("readTimeoutMs", 300)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    expect(201, api.post("/sites", new JsonObject().put("name", "errs").put("hosts", new JsonArray().add("errs.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "dead").put("site", "errs").put("upstream", "dead")
        .put("match", new JsonObject().put("pathPrefix", "/dead"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "slow").put("site", "errs").put("upstream", "slowpool")
        .put("match", new JsonObject().put("pathPrefix", "/slow"))));

    Http.Response bad = Http.get(node.proxy() + "/dead", "Host", "errs.test", "Accept", "application/json");
    assertThat(bad.status()).isEqualTo(502);
    assertThat(bad.body()).contains("\"status\":502").doesNotContain("127.0.0.1").doesNotContain(":1");
    long t0 = System.nanoTime();
    Http.Response slow = Http.get(node.proxy() + "/slow/3000", "Host", "errs.test");
    assertThat(slow.status()).isEqualTo(504);
    assertThat(slow.body()).contains("did not answer in time");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2500);
  }

  @Test
  void servesHttp2ClientsWithPriorKnowledge() throws Exception {
    var client = TestBackend.vertx().createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    try {
      var resp = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(node.proxyPort()).setURI("/h2?x=1"))
          .compose(req -> req.send("ping").compose(res -> res.body().map(b -> new Object[] {res, b})))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      var res = (io.vertx.core.http.HttpClientResponse) resp[0];
      JsonObject echo = new JsonObject(resp[1].toString());
      assertThat(res.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(echo.getString("uri")).isEqualTo("/h2?x=1");
      assertThat(echo.getString("body")).isEqualTo("ping");
      assertThat(echo.getJsonObject("headers").fieldNames()).noneMatch(n -> n.startsWith("x-http2"));
    } finally {
      client.close();
    }
  }

  @Test
  void upgradesHttp11ToH2c() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> first = h2.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/up")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = h2.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/up2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(first.body()).getString("uri")).isEqualTo("/up");
    assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(new JsonObject(second.body()).getString("uri")).isEqualTo("/up2");
  }

  @Test
  void proxiesWebSocketsBothWays() throws Exception {
    WebSocketClient ws = TestBackend.vertx().createWebSocketClient();
    try {
      var messages = new java.util.concurrent.LinkedBlockingQueue<String>();
      var socket = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.proxyPort())
          .setURI("/ws")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      socket.textMessageHandler(messages::add);
      for (int i = 0; i < 20; i++) {
        socket.writeTextMessage("hello " + i);
      }
      for (int i = 0; i < 20; i++) {
        assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("hello " + i);
      }
      socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } finally {
      ws.close();
    }
  }

  @Test
  void answersPipelinedRequestsInOrder() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String all = c.readAll();
      assertThat(RawHttp.count(all, "HTTP/1.1 200")).isEqualTo(3);
      assertThat(all.indexOf("\"/p1\"")).isLessThan(all.indexOf("\"/p2\""));
      assertThat(all.indexOf("\"/p2\"")).isLessThan(all.indexOf("\"/p3\""));
    }
  }

  @Test
  void headRequestsGetHeadersOnly() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("HEAD /bytes/5000 HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String all = c.readAll();
      assertThat(all).startsWith("HTTP/1.1 200").contains("content-length: 5000");
      // The next response starts right after the HEAD response's headers: no body in between.
      String afterHead = all.substring(all.indexOf("\r\n\r\n") + 4);
      assertThat(afterHead).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void malformedRequestsGet4xxAndTheProxyKeepsServing() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("THIS IS NOT HTTP\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 400");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 431");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 414");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /x HTTP/1.1\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 400");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
      assertThat(c.readAll()).startsWith("HTTP/1.1 400");
    }
    assertThat(Http.get(node.proxy() + "/still-fine").status()).isEqualTo(200);
  }

  @Test
  void servesHttp10ClientsWithoutChunking() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /bytes/300?chunked=1 HTTP/1.0\r\nHost: x\r\n\r\n");
      String all = c.readAll();
      assertThat(all).startsWith("HTTP/1.1 200").doesNotContain("transfer-encoding").contains("connection: close");
      assertThat(all.substring(all.indexOf("\r\n\r\n") + 4)).hasSize(300);
    }
  }
}
