package io.frontdesk.plugins.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeadersPluginTest {

  static FrontdeskTestKit fd;

  @BeforeAll
  static void start() {
    fd = FrontdeskTestKit.builder().plugin("headers", new HeadersFilterFactory()).start();
  }

  @AfterAll
  static void stop() {
    fd.close();
  }

  @Test
  void changesRequestAndResponseHeadersWithVariables() {
    fd.routeToBackend("h1", "/h1");
    fd.bind("headers", "route", "h1", new JsonObject()
        .put("request", new JsonObject()
            .put("remove", new JsonArray().add("X-Drop"))
            .put("rename", new JsonObject().put("X-Old", "X-New"))
            .put("set", new JsonObject().put("X-Client", "{clientIp} via {route} ({scheme})"))
            .put("add", new JsonObject().put("X-Extra", "1")))
        .put("response", new JsonObject()
            .put("remove", new JsonArray().add("content-type"))
            .put("set", new JsonObject().put("X-Served-By", "{upstream}/{target}").put("X-Id", "{requestId}"))));
    FrontdeskTestKit.Response r = fd.get("/h1/x", "X-Drop", "bye", "X-Old", "value", "X-Extra", "0");
    assertThat(r.status()).isEqualTo(200);
    JsonObject seen = r.json().getJsonObject("headers");
    assertThat(seen.containsKey("x-drop")).isFalse();
    assertThat(seen.containsKey("x-old")).isFalse();
    assertThat(seen.getString("x-new")).isEqualTo("value");
    assertThat(seen.getString("x-client")).isEqualTo("127.0.0.1 via h1 (http)");
    assertThat(r.headers().get("x-served-by")).containsExactly("h1/127.0.0.1:" + fd.backendPort());
    assertThat(r.header("x-id")).isEqualTo(r.header("x-request-id"));
    assertThat(r.header("content-type")).isNull();
  }

  @Test
  void addKeepsExistingValues() {
    fd.routeToBackend("h2", "/h2");
    fd.bind("headers", "route", "h2", new JsonObject().put("request", new JsonObject()
        .put("add", new JsonObject().put("X-Tag", "b"))));
    JsonObject seen = fd.get("/h2", "X-Tag", "a").json().getJsonObject("headers");
    assertThat(seen.getString("x-tag")).isEqualTo("a, b");
  }

  @Test
  void refusesConfigurationOutsideItsSchema() {
    fd.routeToBackend("h3", "/h3");
    FrontdeskTestKit.Response r = fd.admin("POST", "/plugins/headers/bindings", new JsonObject()
        .put("scope", "route").put("target", "h3")
        .put("config", new JsonObject().put("request", new JsonObject()
            .put("set", new JsonObject().put("Bad Name", "x"))
            .put("colour", "red"))));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("config.request.colour").contains("is not a known field");
  }
}
