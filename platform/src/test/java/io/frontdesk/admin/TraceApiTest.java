package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
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
