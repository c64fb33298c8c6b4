package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawBackend;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How request bodies are framed on their way through (RFC 9112 6): what the backend receives, byte
 * for byte, for requests without a body, broken chunked bodies, both framing headers, unknown
 * transfer codings and ambiguous hosts. A desync here is a request-smuggling hole.
 */
class RequestFramingTest {

  static TestNode node;
  static RawBackend backend;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    backend = RawBackend.ok();
    node.admin().simpleRoute("framing", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  static List<RawBackend.Seen> seenAt(String path) {
    return backend.requests().stream().filter(s -> s.requestLine().split(" ")[1].startsWith(path)).toList();
  }

  /** Lets the backend's threads finish reading connections the proxy has just closed. */
  static void settle() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void requestsWithoutABodyCarryNoBodyFramingUpstream() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(node.proxy() + "/nobody/" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
      if (all.size() % 16 == 0) {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.get().statusCode()).isEqualTo(200);
    }
    List<RawBackend.Seen> seen = seenAt("/nobody/");
    assertThat(seen).hasSize(300);
    for (RawBackend.Seen s : seen) {
      assertThat(s.header("transfer-encoding")).as(s.head()).isNull();
      assertThat(s.header("content-length")).as(s.head()).isIn(null, "0"); // JDK 17's client sends 0 on GET
      assertThat(s.body()).isEmpty();
    }
    assertThat(backend.garbage()).isEmpty();
  }

  @Test
  void aBrokenChunkedBodyIs400AndNeverReachesTheBackendWhole() {
    String[] broken = {
        "ZZ\r\nabc\r\n0\r\n\r\n",                // not hex
        "-3\r\nabc\r\n0\r\n\r\n",                // negative
        "0x3\r\nabc\r\n0\r\n\r\n",               // a C prefix
        "fffffffffffffffff\r\nabc\r\n0\r\n\r\n", // overflow
        "3\nabc\r\n0\r\n\r\n",                   // bare LF after the size
        "3\r\nabcdef\r\n0\r\n\r\n",              // more data than declared
        "3 \r\nabc\r\n0\r\n\r\n",                // trailing space
        " 3\r\nabc\r\n0\r\n\r\n",                // leading space
        "3 x\r\nabc\r\n0\r\n\r\n",               // junk after whitespace
    };
    for (int i = 0; i < broken.length; i++) {
      String path = "/broken-chunk-" + i;
      try (RawHttp c = new RawHttp(node.proxyPort())) {
        c.send("POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        c.send(broken[i]);
        String answer = c.readAll();
        assertThat(answer).as(broken[i]).startsWith("HTTP/1.1 400");
      }
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /good-chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6 ;ext=1\r\n world\r\n0\r\n\r\n");
      assertThat(c.readUntil("ok")).startsWith("HTTP/1.1 200");
    }
    assertThat(seenAt("/good-chunks")).singleElement().satisfies(s -> {
      assertThat(s.complete()).isTrue();
      assertThat(s.bodyText()).isEqualTo("hello world");
    });
    settle();
    assertThat(seenAt("/broken-chunk-")).allSatisfy(s -> assertThat(s.complete()).as(s.head()).isFalse());
    assertThat(backend.garbage()).isEmpty();
  }

  @Test
  void lengthAndChunkedTogetherMeanChunkedAndACloseAfterwards() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /te-cl HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\n\r\n");
      String answer = c.readAll(); // the server closes: readAll returns
      assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
    }
    assertThat(seenAt("/te-cl")).singleElement().satisfies(s -> {
      assertThat(s.bodyText()).isEqualTo("hello");
      assertThat(s.header("content-length")).isNull();
      assertThat(s.header("transfer-encoding")).isEqualTo("chunked");
    });
  }

  @Test
  void anUpgradeRequestIsFramedAndClosedByTheSameRules() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /upgrade-with-te-cl HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
    }
    assertThat(seenAt("/upgrade-with-te-cl")).singleElement().satisfies(s -> {
      assertThat(s.bodyText()).isEqualTo("hello");
      assertThat(s.header("content-length")).isNull();
    });
  }

  @Test
  void unknownTransferCodingsAreRefusedNotTakenForNoBody() {
    String[][] cases = {
        {"HTTP/1.1", "xchunked", "400"},
        {"HTTP/1.1", "identity", "400"},
        {"HTTP/1.1", "chunked, identity", "400"},
        {"HTTP/1.1", "gzip, chunked", "501"},
        {"HTTP/1.0", "chunked", "400"},
    };
    for (int i = 0; i < cases.length; i++) {
      try (RawHttp c = new RawHttp(node.proxyPort())) {
        c.send("POST /te-" + i + " " + cases[i][0] + "\r\nHost: x\r\nTransfer-Encoding: " + cases[i][1] + "\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\nGET /smuggled-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.readAll()).as(cases[i][1]).startsWith("HTTP/1.1 " + cases[i][2]);
      }
    }
    assertThat(seenAt("/te-")).isEmpty();
    assertThat(seenAt("/smuggled-")).isEmpty();
  }

  @Test
  void twoHostHeadersAre400() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /two-hosts HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 400");
    }
    assertThat(seenAt("/two-hosts")).isEmpty();
  }

  @Test
  void anAbsoluteFormTargetMustNameTheHostOfTheHostHeader() {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET http://pub.example/abs-mismatch HTTP/1.1\r\nHost: adm.example\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 400");
    }
    assertThat(seenAt("/abs-mismatch")).isEmpty();
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET http://pub.example/abs-match HTTP/1.1\r\nHost: pub.example:80\r\n\r\n");
      assertThat(c.readUntil("ok")).startsWith("HTTP/1.1 200");
    }
    assertThat(seenAt("/abs-match")).singleElement()
        .satisfies(s -> assertThat(s.header("x-forwarded-host")).isEqualTo("pub.example"));
  }

  @Test
  void aBodyOverTheRoutesLimitIs413AndNeverReachesTheBackendWhole() {
    Http.Admin api = node.admin();
    Http.Admin.expect(201, api.post("/sites", new io.vertx.core.json.JsonObject().put("name", "small")
        .put("hosts", new io.vertx.core.json.JsonArray().add("small.test"))));
    Http.Admin.expect(201, api.post("/routes", new io.vertx.core.json.JsonObject().put("name", "small")
        .put("site", "small").put("upstream", "framing").put("maxRequestBodyBytes", 10)));
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /limit-cl HTTP/1.1\r\nHost: small.test\r\nContent-Length: 11\r\n\r\nhello world");
      assertThat(c.readAll()).startsWith("HTTP/1.1 413");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /limit-chunked HTTP/1.1\r\nHost: small.test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "6\r\nhello \r\n6\r\nworld!\r\n0\r\n\r\n");
      assertThat(c.readAll()).startsWith("HTTP/1.1 413");
    }
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /limit-fits HTTP/1.1\r\nHost: small.test\r\nContent-Length: 10\r\n\r\nhelloworld");
      assertThat(c.readUntil("ok")).startsWith("HTTP/1.1 200");
    }
    settle();
    assertThat(seenAt("/limit-cl")).isEmpty();
    assertThat(seenAt("/limit-chunked")).allSatisfy(s -> assertThat(s.complete()).isFalse());
    assertThat(seenAt("/limit-fits")).singleElement().satisfies(s -> assertThat(s.bodyText()).isEqualTo("helloworld"));
  }
}
