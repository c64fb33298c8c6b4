package io.frontdesk.proxy;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.upstream.UpstreamRequest;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawBackend;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A filter's own requests to its route's upstream: auth-style calls, limits, retries, after the exchange. */
class SubrequestTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;
  static final List<String> background = new CopyOnWriteArrayList<>();

  /**
   * Sends {@code x-sub} (a path) as a subrequest with the limits in {@code x-sub-max} and
   * {@code x-sub-timeout}; a 200 lets the request on with the answer in {@code x-sub-answer}, any
   * other status or a failure is answered locally. With {@code x-sub-later}, sends it from onComplete.
   */
  static final class Introspect implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 100;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          String path = ex.request().headers().get("x-sub");
          if (path == null || ex.request().headers().contains("x-sub-later")) {
            return FilterResult.proceed();
          }
          String method = ex.request().headers().get("x-sub-method");
          UpstreamRequest req = UpstreamRequest.of(method == null ? "GET" : method, path).header("x-from", "introspect");
          String body = ex.request().headers().get("x-sub-body");
          if (body != null) {
            req.body(io.vertx.core.buffer.Buffer.buffer(body));
          }
          String max = ex.request().headers().get("x-sub-max");
          if (max != null) {
            req.maxResponseBytes(Integer.parseInt(max));
          }
          String timeout = ex.request().headers().get("x-sub-timeout");
          if (timeout != null) {
            req.timeoutMillis(Long.parseLong(timeout));
          }
          return ex.upstream().send(req).compose(r -> {
            if (r.status() != 200) {
              return FilterResult.respond(LocalResponse.of(401, "introspection said " + r.status()));
            }
            ex.request().headers().set("x-sub-answer", r.body().length() > 4000
                ? "long:" + r.body().length() : r.body().toString());
            ex.request().headers().set("x-sub-target", r.targetAddress());
            return FilterResult.proceed();
          }, err -> FilterResult.respond(LocalResponse.of(502, "introspection failed")
              .header("x-sub-error", err.getClass().getSimpleName() + ": " + err.getMessage())));
        }

        @Override
        public void onComplete(Exchange ex) {
          if (ex.request().headers().contains("x-sub-later")) {
            ex.upstream().send(UpstreamRequest.of("GET", ex.request().headers().get("x-sub")))
                .onComplete(ar -> background.add(ar.succeeded() ? "status " + ar.result().status()
                    + " " + ar.result().body() : "failed " + ar.cause()));
          }
        }
      };
    }
  }

  static int deadPort;
  static RawBackend unavailable1;
  static RawBackend unavailable2;
  static RawBackend fine;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("--filter-timeout", "5s");
    api = node.admin();
    backend = TestBackend.start("sub-be");
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    node.node().pluginHost().registerInProcess("introspect", "1",
        new PluginRegistry.Extensions(new Introspect(), null, List.of()));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "half-dead")
        .put("retries", new JsonObject().put("attempts", 1))
        .put("targets", new JsonArray()
            .add(new JsonObject().put("host", "127.0.0.1").put("port", deadPort))
            .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    String busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
    unavailable1 = new RawBackend(seen -> busy);
    unavailable2 = new RawBackend(seen -> busy);
    fine = RawBackend.ok();
    JsonArray shakyTargets = new JsonArray();
    for (RawBackend b : List.of(unavailable1, unavailable2, fine)) {
      shakyTargets.add(new JsonObject().put("host", "127.0.0.1").put("port", b.port()));
    }
    // Two retries on a 503, bodies kept for a replay up to exactly the 10 bytes the tests send.
    expect(201, api.post("/upstreams", new JsonObject().put("name", "shaky").put("targets", shakyTargets)
        .put("retries", new JsonObject().put("attempts", 2).put("retryOn", new JsonArray().add("503"))
            .put("maxBodyBytes", 10).put("minRetriesPerSecond", 1000))));
    for (String[] s : new String[][] {{"auth", "be"}, {"flaky", "half-dead"}, {"shaky", "shaky"}}) {
      expect(201, api.post("/sites", new JsonObject().put("name", s[0]).put("hosts", new JsonArray().add(s[0] + ".test"))));
      expect(201, api.post("/routes", new JsonObject().put("name", s[0]).put("site", s[0]).put("upstream", s[1])));
      expect(201, api.post("/plugins/introspect/bindings", new JsonObject().put("scope", "route").put("target", s[0])));
    }
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
    unavailable1.close();
    unavailable2.close();
    fine.close();
  }

  static Http.Response get(String site, String... headers) {
    String[] h = new String[headers.length + 2];
    h[0] = "Host";
    h[1] = site + ".test";
    System.arraycopy(headers, 0, h, 2, headers.length);
    return Http.get(node.proxy() + "/app", h);
  }

  @Test
  void aFilterAsksTheRoutesUpstreamAndDecidesOnItsAnswer() {
    long before = backend.requests();
    Http.Response ok = get("auth", "x-sub", "/introspect?token=abc");
    assertThat(ok.status()).isEqualTo(200);
    JsonObject seen = ok.json().getJsonObject("headers");
    JsonObject sub = new JsonObject(seen.getString("x-sub-answer"));
    assertThat(sub.getString("uri")).isEqualTo("/introspect?token=abc");
    assertThat(sub.getJsonObject("headers").getString("x-from")).isEqualTo("introspect");
    assertThat(sub.getJsonObject("headers").getString("x-request-id")).isEqualTo(seen.getString("x-request-id"));
    assertThat(seen.getString("x-sub-target")).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(backend.requests() - before).isEqualTo(2); // the subrequest, then the request

    assertThat(get("auth", "x-sub", "/status/403").status()).isEqualTo(401);
  }

  @Test
  void aResponseOverTheLimitOrLateFailsTheSubrequestWithTheReason() {
    Http.Response big = get("auth", "x-sub", "/bytes/5000", "x-sub-max", "1000");
    assertThat(big.status()).isEqualTo(502);
    assertThat(big.header("x-sub-error")).startsWith("UpstreamException").contains("over the limit of 1000");

    Http.Response fits = get("auth", "x-sub", "/bytes/5000", "x-sub-max", "5000");
    assertThat(fits.status()).isEqualTo(200);
    assertThat(fits.json().getJsonObject("headers").getString("x-sub-answer")).isEqualTo("long:5000");

    Http.Response slow = get("auth", "x-sub", "/slow/3000", "x-sub-timeout", "300");
    assertThat(slow.status()).isEqualTo(502);
    assertThat(slow.header("x-sub-error")).contains("no answer within 300 ms");
  }

  @Test
  void subrequestsGoThroughTheBalancerAndAreRetriedOnADeadTarget() {
    for (int i = 0; i < 6; i++) { // round robin sends some of them to the dead target first
      Http.Response r = get("flaky", "x-sub", "/introspect");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().getJsonObject("headers").getString("x-sub-target")).isEqualTo("127.0.0.1:" + backend.port());
    }
  }

  @Test
  void aSubrequestMaySetOffAfterItsExchangeEnded() throws Exception {
    background.clear();
    assertThat(get("auth", "x-sub", "/revalidate", "x-sub-later", "1").status()).isEqualTo(200);
    for (int i = 0; i < 100 && background.isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(background).hasSize(1);
    assertThat(background.get(0)).startsWith("status 200").contains("\"uri\":\"/revalidate\"");
  }

  @Test
  void aRetriedSubrequestSendsItsBodyOnceToEachTarget() {
    for (int i = 0; i < 6; i++) { // round robin starts some of them on both answering 503 before the good one
      Http.Response r = get("shaky", "x-sub", "/put", "x-sub-method", "PUT", "x-sub-body", "0123456789");
      assertThat(r.status()).as("request %d", i).isEqualTo(200);
    }
    for (RawBackend b : List.of(unavailable1, unavailable2, fine)) {
      for (RawBackend.Seen seen : b.requests().stream().filter(s -> s.requestLine().startsWith("PUT")).toList()) {
        assertThat(seen.bodyText()).isEqualTo("0123456789");
        assertThat(seen.complete()).isTrue();
      }
    }
  }

  @Test
  void aHeadSubrequestIsNotRefusedForTheLengthOfABodyThatNeverComes() {
    Http.Response r = get("auth", "x-sub", "/bytes/5000", "x-sub-method", "HEAD", "x-sub-max", "1000");
    assertThat(r.status()).as("%s", r.header("x-sub-error")).isEqualTo(200);
    assertThat(r.json().getJsonObject("headers").getString("x-sub-answer")).isEmpty();
  }
}
