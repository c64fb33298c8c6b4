package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawBackend;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a filter sets goes into the upstream request as it is, so it is checked: no CR, LF or space
 * in the request line, and the body's framing stays the proxy's whatever headers a filter sets.
 */
class FilterValuesTest {

  static TestNode node;
  static Http.Admin api;
  static RawBackend backend;

  /** Sets what its config's "set" names, from the request path's last segment. */
  static final class Meddler implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 500;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          String what = ex.request().path().substring(ex.request().path().lastIndexOf('/') + 1);
          switch (what) {
            case "crlf-path" -> ex.request().path("/x HTTP/1.1\r\nX-Smuggled: 1\r\n\r\nGET /y");
            case "space-path" -> ex.request().path("/a b");
            case "question-path" -> ex.request().path("/a?b=1");
            case "crlf-query" -> ex.request().query("a=1\r\nX-Smuggled: 1");
            case "crlf-header" -> ex.request().headers().set("x-meddled", "a\r\nX-Smuggled: 1");
            case "length" -> ex.request().headers().set("content-length", "100");
            case "chunked" -> ex.request().headers().set("transfer-encoding", "chunked");
            default -> {
            }
          }
          return FilterResult.proceed();
        }

        @Override
        public Future<FilterResult> onResponse(Exchange ex) {
          if (ex.request().path().endsWith("/response-length")) {
            ex.response().headers().set("content-length", "1000");
          }
          if (ex.request().path().endsWith("/slow-response")) { // decides after the upstream has closed
            return ex.vertx().timer(300).compose(v -> FilterResult.proceed());
          }
          return FilterResult.proceed();
        }
      };
    }
  }

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    backend = new RawBackend(seen -> seen.requestLine().contains("/slow-response")
        ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    node.node().pluginHost().registerInProcess("meddler", "1",
        new PluginRegistry.Extensions(new Meddler(), null, List.of()));
    node.node().pluginHost().registerInProcess("teapot", "1",
        new PluginRegistry.Extensions(new TestFilters.Teapot(), null, List.of()));
    api.simpleRoute("meddled", "*", backend.port());
    expect(201, api.post("/plugins/meddler/bindings", new JsonObject().put("scope", "route").put("target", "meddled")));
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  static String raw(String request) {
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send(request);
      return c.readUntil("\r\n\r\n");
    }
  }

  @Test
  void aFilterCannotBreakTheRequestLineOrAHeader() {
    for (String what : List.of("crlf-path", "space-path", "question-path", "crlf-query", "crlf-header")) {
      assertThat(raw("GET /m/" + what + " HTTP/1.1\r\nHost: x\r\n\r\n")).as(what).startsWith("HTTP/1.1 500");
    }
    assertThat(backend.requests()).noneMatch(s -> s.head().toLowerCase().contains("smuggled"));
    assertThat(backend.garbage()).isEmpty();
  }

  @Test
  void theBodysFramingIsTheProxysWhateverAFilterSets() {
    assertThat(raw("GET /m/length HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
    assertThat(raw("POST /m/chunked HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")).startsWith("HTTP/1.1 200");
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("GET /m/response-length HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = c.readUntil("ok");
      assertThat(answer).containsIgnoringCase("content-length: 2").doesNotContain("1000");
    }
    RawBackend.Seen length = backend.requests().stream().filter(s -> s.requestLine().contains("/m/length"))
        .findFirst().orElseThrow();
    assertThat(length.header("content-length")).isNull();
    RawBackend.Seen chunked = backend.requests().stream().filter(s -> s.requestLine().contains("/m/chunked"))
        .findFirst().orElseThrow();
    assertThat(chunked.header("transfer-encoding")).isNull();
    assertThat(chunked.header("content-length")).isEqualTo("5");
    assertThat(chunked.bodyText()).isEqualTo("hello");
    assertThat(backend.garbage()).isEmpty();
  }

  @Test
  void aWholeResponseWaitingForAResponseFilterSurvivesTheUpstreamClosing() {
    for (int i = 0; i < 3; i++) {
      try (RawHttp c = new RawHttp(node.proxyPort())) {
        c.send("GET /m/" + i + "/slow-response HTTP/1.1\r\nHost: x\r\n\r\n");
        String answer = c.readUntil("ok");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("ok");
      }
    }
    assertThat(backend.requests().stream().filter(s -> s.requestLine().contains("slow-response")))
        .as("never sent twice").hasSize(3);
  }

  @Test
  void expectContinueIsAnsweredOnlyAfterTheFiltersAccepted() {
    expect(201, api.post("/sites", new JsonObject().put("name", "tea").put("hosts", new JsonArray().add("tea.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "tea").put("site", "tea").put("upstream", "meddled")));
    expect(201, api.post("/plugins/teapot/bindings", new JsonObject().put("scope", "route").put("target", "tea")));
    try (RawHttp c = new RawHttp(node.proxyPort())) {
      c.send("POST /upload HTTP/1.1\r\nHost: tea.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      String answer = c.readUntil("teapot");
      assertThat(answer).startsWith("HTTP/1.1 418").doesNotContain("100 Continue");
    }
  }
}
