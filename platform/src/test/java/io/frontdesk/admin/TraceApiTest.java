package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.pluginhost.PluginRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Send a request through Frontdesk": the trace comes from the proxy itself. */
class TraceApiTest {

  @Test
  void aTracedRequestShowsItsRouteTargetAndResponse() throws Exception {
    TestBackend backend = TestBackend.start("be");
    try (TestNode node = TestNode.start()) {
      node.admin().simpleRoute("shop", "shop.test", backend.port());
      Http.Response r = node.admin().post("/trace", new JsonObject().put("site", "shop").put("method", "GET")
          .put("path", "/cart?x=1").put("headers", new JsonObject().put("X-Demo", "1")));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonObject out = r.json();
      assertThat(out.getJsonObject("request").getString("host")).isEqualTo("shop.test");
      JsonObject trace = out.getJsonObject("trace");
      JsonArray steps = trace.getJsonArray("steps");
      List<String> kinds = steps.stream().map(s -> ((JsonObject) s).getString("kind")).toList();
      assertThat(kinds).containsSubsequence("route", "upstream", "response");
      JsonObject route = steps.getJsonObject(kinds.indexOf("route"));
      assertThat(route.getString("route")).isEqualTo("shop");
      assertThat(steps.getJsonObject(kinds.indexOf("upstream")).getString("target"))
          .isEqualTo("127.0.0.1:" + backend.port());
      assertThat(out.getJsonObject("response").getInteger("status")).isEqualTo(200);
      assertThat(out.getJsonObject("response").getJsonObject("headers").getString("x-request-id"))
          .isEqualTo(trace.getString("requestId"));
      // The trace header never reaches the backend.
      assertThat(out.getJsonObject("response").getString("body")).doesNotContain("x-frontdesk-trace");
    } finally {
      backend.close();
    }
  }

  /** Sets one logged attribute in the request phase. */
  record Stamp(String key, int priority) implements FilterFactory {
    @Override
    public int defaultPriority() {
      return priority;
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object");
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      AttributeKey<String> k = AttributeKey.of(key, String.class);
      return new Filter() {
        @Override
        public Future<FilterResult> onRequest(Exchange ex) {
          ex.attributes().put(k, "set by " + key);
          return FilterResult.proceed();
        }
      };
    }
  }

  @Test
  void eachFilterStepShowsOnlyTheAttributesThatFilterSet() throws Exception {
    TestBackend backend = TestBackend.start("be");
    try (TestNode node = TestNode.start()) {
      node.node().pluginHost().registerInProcess("stamp-one", "1", new PluginRegistry.Extensions(
          new Stamp("one.x", 10), null, List.of()));
      node.node().pluginHost().registerInProcess("stamp-two", "1", new PluginRegistry.Extensions(
          new Stamp("two.y", 20), null, List.of()));
      node.admin().simpleRoute("attrs", "attrs.test", backend.port());
      for (String p : List.of("stamp-one", "stamp-two")) {
        Http.Admin.expect(201, node.admin().post("/plugins/" + p + "/bindings", new JsonObject().put("scope", "route")
            .put("target", "attrs")));
      }
      JsonObject out = Http.Admin.expect(200, node.admin().post("/trace", new JsonObject().put("site", "attrs")))
          .json();
      List<JsonObject> filters = out.getJsonObject("trace").getJsonArray("steps").stream().map(o -> (JsonObject) o)
          .filter(st -> st.getString("kind").equals("filter") && st.getString("phase").equals("request")).toList();
      assertThat(filters).extracting(f -> f.getString("plugin")).containsExactly("stamp-one", "stamp-two");
      assertThat(filters.get(0).getJsonObject("attributes").getMap()).containsOnly(Map.entry("one.x", "set by one.x"));
      assertThat(filters.get(1).getJsonObject("attributes").getMap()).containsOnly(Map.entry("two.y", "set by two.y"));
      assertThat(out.getJsonObject("trace").getJsonArray("steps").stream().map(o -> (JsonObject) o)
          .filter(st -> st.getString("kind").equals("filter") && st.getString("phase").equals("response"))
          .allMatch(st -> st.getJsonObject("attributes").isEmpty())).as("nothing set on the way back").isTrue();
    } finally {
      backend.close();
    }
  }

  @Test
  void aSiteWithoutAnExactHostIsTracedWithAHostThatReachesIt() {
    TestBackend backend = TestBackend.start("be");
    try (TestNode node = TestNode.start()) {
      Http.Admin api = node.admin();
      api.simpleRoute("all", "*", backend.port());
      api.simpleRoute("wild", "*.w.test", backend.port());
      JsonObject all = Http.Admin.expect(200, api.post("/trace", new JsonObject().put("site", "all"))).json();
      assertThat(all.getJsonObject("request").getString("host")).isEqualTo("localhost");
      assertThat(all.getJsonObject("trace").getJsonObject("record").getString("host")).isEqualTo("localhost");
      assertThat(all.getJsonObject("response").getJsonObject("headers").getString("x-backend")).isEqualTo("be");
      JsonObject wild = Http.Admin.expect(200, api.post("/trace", new JsonObject().put("site", "wild"))).json();
      assertThat(wild.getJsonObject("request").getString("host")).isEqualTo("www.w.test");
      // The host the operator names is the one sent.
      JsonObject asked = Http.Admin.expect(200, api.post("/trace", new JsonObject().put("site", "all")
          .put("host", "shop.example"))).json();
      assertThat(asked.getJsonObject("request").getString("host")).isEqualTo("shop.example");
      // Another site owns localhost: the catch-all is traced with a name that still reaches it.
      api.simpleRoute("local", "localhost", backend.port());
      JsonObject moved = Http.Admin.expect(200, api.post("/trace", new JsonObject().put("site", "all"))).json();
      assertThat(moved.getJsonObject("request").getString("host")).isEqualTo("trace.localhost");
      assertThat(moved.getJsonObject("trace").getJsonArray("steps").getJsonObject(0).getString("site"))
          .isEqualTo("all");
    } finally {
      backend.close();
    }
  }

  @Test
  void badTraceRequestsAre400AndStrangersAre401() {
    try (TestNode node = TestNode.start()) {
      Http.Response bad = node.admin().post("/trace", new JsonObject().put("method", "G ET").put("path", "no-slash")
          .put("headers", new JsonObject().put("Bad Name", "x")));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("\"method\"").contains("\"path\"").contains("headers.Bad Name").contains("\"host\"");
      assertThat(Http.send("POST", node.admin().base() + "/trace", "{\"host\":\"a.test\"}", "content-type",
          "application/json").status()).isEqualTo(401);
    }
  }
}
