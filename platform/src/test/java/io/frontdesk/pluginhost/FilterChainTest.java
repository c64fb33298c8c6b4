package io.frontdesk.pluginhost;

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

/** The chain around an exchange: order, short-circuits, failures, async work, body transforms. */
class FilterChainTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;
  static TestFilters.Tag a = new TestFilters.Tag("a", 10);
  static TestFilters.Tag b = new TestFilters.Tag("b", 20);
  static TestFilters.Tag c = new TestFilters.Tag("c", 30);

  @BeforeAll
  static void start() {
    node = TestNode.start("--filter-timeout", "400ms");
    api = node.admin();
    backend = TestBackend.start("chain-be");
    PluginHost host = node.node().pluginHost();
    host.registerInProcess("tag-a", "1", new PluginRegistry.Extensions(a, null, List.of()));
    host.registerInProcess("tag-b", "1", new PluginRegistry.Extensions(b, null, List.of()));
    host.registerInProcess("tag-c", "1", new PluginRegistry.Extensions(c, null, List.of()));
    host.registerInProcess("teapot", "1", new PluginRegistry.Extensions(new TestFilters.Teapot(), null, List.of()));
    host.registerInProcess("broken", "1", new PluginRegistry.Extensions(new TestFilters.Broken(), null, List.of()));
    host.registerInProcess("slowpoke", "1", new PluginRegistry.Extensions(new TestFilters.Slowpoke(), null, List.of()));
    host.registerInProcess("shout", "1", new PluginRegistry.Extensions(new TestFilters.Shout(), null, List.of()));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  static void siteWithRoute(String name) {
    expect(201, api.post("/sites", new JsonObject().put("name", name).put("hosts", new JsonArray().add(name + ".test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", name).put("site", name).put("upstream", "be")));
  }

  static String bind(String plugin, String scope, String target, JsonObject extra) {
    JsonObject body = extra.copy().put("scope", scope);
    if (target != null) {
      body.put("target", target);
    }
    return expect(201, api.post("/plugins/" + plugin + "/bindings", body)).json().getString("id");
  }

  static Http.Response get(String site, String path) {
    return Http.get(node.proxy() + path, "Host", site + ".test");
  }

  @Test
  void runsGlobalSiteAndRouteFiltersByPriorityForwardAndBackward() {
    siteWithRoute("order");
    bind("tag-c", "route", "order", new JsonObject());
    bind("tag-a", "site", "order", new JsonObject());
    String bId = bind("tag-b", "route", "order", new JsonObject());
    Http.Response r = get("order", "/");
    assertThat(r.json().getJsonObject("headers").getString("x-order")).isEqualTo("a,b,c");
    assertThat(r.header("x-order-back")).isEqualTo("c,b,a");

    // A binding may take another place in the chain.
    expect(200, api.patch("/plugins/tag-b/bindings/" + bId, new JsonObject().put("priority", 5)));
    assertThat(get("order", "/").json().getJsonObject("headers").getString("x-order")).isEqualTo("b,a,c");
  }

  @Test
  void aShortCircuitStopsLaterFiltersAndTheUpstreamCall() {
    siteWithRoute("short");
    bind("tag-a", "route", "short", new JsonObject());
    bind("teapot", "route", "short", new JsonObject());
    bind("tag-c", "route", "short", new JsonObject().put("priority", 160));
    long upstreamBefore = backend.requests();
    int cBefore = c.requests.get();
    Http.Response r = get("short", "/");
    assertThat(r.status()).isEqualTo(418);
    assertThat(r.body()).isEqualTo("I'm a teapot");
    assertThat(r.header("x-order-back")).isEqualTo("a"); // filters before it still see the response
    assertThat(backend.requests()).isEqualTo(upstreamBefore);
    assertThat(c.requests.get()).isEqualTo(cBefore);
  }

  @Test
  void aThrowingFilterAnswers500IsCountedAndTheProxyKeepsServing() {
    siteWithRoute("throws");
    bind("broken", "route", "throws", new JsonObject().put("config", new JsonObject().put("mode", "throw")));
    long errorsBefore = node.node().plugins().stats("broken").errors();
    Http.Response r = Http.get(node.proxy() + "/", "Host", "throws.test", "Accept", "application/json");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("boom");
    assertThat(node.node().plugins().stats("broken").errors()).isEqualTo(errorsBefore + 1);
    JsonObject listed = api.get("/plugins").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(p -> "broken".equals(p.getString("id"))).findFirst().orElseThrow();
    assertThat(listed.getJsonObject("stats").getLong("errors")).isGreaterThanOrEqualTo(1);
    assertThat(get("order-free", "/").status()).isEqualTo(404); // other traffic unaffected
  }

  @Test
  void failedAndHangingFuturesAnswer500AndFailOpenBindingsAreSkipped() {
    siteWithRoute("async-fail");
    bind("broken", "route", "async-fail", new JsonObject().put("config", new JsonObject().put("mode", "fail")));
    assertThat(get("async-fail", "/").status()).isEqualTo(500);

    siteWithRoute("hangs");
    bind("broken", "route", "hangs", new JsonObject().put("config", new JsonObject().put("mode", "hang")));
    long timeoutsBefore = node.node().plugins().stats("broken").timeouts();
    long t0 = System.nanoTime();
    assertThat(get("hangs", "/").status()).isEqualTo(500);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 3000L);
    assertThat(node.node().plugins().stats("broken").timeouts()).isEqualTo(timeoutsBefore + 1);

    siteWithRoute("open");
    bind("broken", "route", "open", new JsonObject().put("failOpen", true)
        .put("config", new JsonObject().put("mode", "throw")));
    assertThat(get("open", "/").status()).isEqualTo(200);

    siteWithRoute("back-fails");
    bind("broken", "route", "back-fails", new JsonObject().put("config", new JsonObject().put("mode", "response-throw")));
    bind("tag-a", "route", "back-fails", new JsonObject());
    Http.Response r = get("back-fails", "/");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.header("x-order-back")).isEqualTo("a"); // earlier filters still ran on the way back
  }

  @Test
  void filtersCanWorkOffTheLoopAndContinueOnIt() {
    siteWithRoute("blocking");
    bind("slowpoke", "route", "blocking", new JsonObject());
    JsonObject h = get("blocking", "/").json().getJsonObject("headers");
    assertThat(h.getString("x-decided-on")).contains("worker");
    assertThat(h.getString("x-continued-on")).contains("eventloop");
  }

  @Test
  void bodyTransformersStreamBothBodies() {
    siteWithRoute("shout");
    bind("shout", "route", "shout", new JsonObject().put("config", new JsonObject().put("maxRequestBytes", 100_000)));
    Http.Response r = Http.send("POST", node.proxy() + "/echo", "hello", "Host", "shout.test");
    assertThat(r.header("x-shouted")).isEqualTo("yes");
    assertThat(r.header("content-length")).isNull();
    JsonObject echoed = new JsonObject(r.body().toLowerCase());
    assertThat(echoed.getString("body")).isEqualTo("hello!");
    assertThat(r.body()).contains("\"BODY\":\"HELLO!\"");
    Http.Response big = Http.get(node.proxy() + "/bytes/300000", "Host", "shout.test");
    assertThat(big.body()).hasSize(300000);

    Http.Response refused = Http.send("POST", node.proxy() + "/sink", "x".repeat(200_000), "Host", "shout.test");
    assertThat(refused.status()).isEqualTo(413);
  }

  @Test
  void bindingsRefuseConfigOutsideThePluginsSchema() {
    siteWithRoute("schema");
    Http.Response r = api.post("/plugins/broken/bindings", new JsonObject().put("scope", "route").put("target", "schema")
        .put("config", new JsonObject().put("mode", "explode")));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("config.mode").contains("must be one of throw, fail, hang, response-throw");
    assertThat(api.post("/plugins/nope/bindings", new JsonObject().put("scope", "global")).body())
        .contains("plugin 'nope' is not available");
    assertThat(api.post("/plugins/tag-a/bindings", new JsonObject().put("scope", "route").put("target", "missing"))
        .status()).isEqualTo(409);
    assertThat(api.post("/plugins/tag-a/bindings", new JsonObject().put("scope", "site")).body())
        .contains("target").contains("is required");
  }

  @Test
  void anOperatorCanSwitchAPluginOffForEveryNode() {
    siteWithRoute("switch");
    bind("teapot", "route", "switch", new JsonObject());
    assertThat(get("switch", "/").status()).isEqualTo(418);
    JsonObject off = expect(200, api.post("/plugins/teapot/disable", null)).json();
    assertThat(off.getString("state")).isEqualTo("DISABLED");
    assertThat(get("switch", "/").status()).isEqualTo(503); // fail-closed while disabled
    expect(200, api.post("/plugins/teapot/enable", null));
    assertThat(get("switch", "/").status()).isEqualTo(418);
  }
}
