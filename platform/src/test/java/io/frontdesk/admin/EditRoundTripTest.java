package io.frontdesk.admin;

import static io.frontdesk.admin.ConfigApiTest.fields;
import static io.frontdesk.admin.ConfigApiTest.message;
import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever can be created can be edited — replaced (PUT) and patched (merge patch) — with the same
 * checks and messages as a create; a refused edit changes nothing.
 */
class EditRoundTripTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;

  /** A filter whose config is {"allow": [string]} and nothing else. */
  static final class Allow implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 100;
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object").put("additionalProperties", false).put("properties",
          new JsonObject().put("allow", new JsonObject().put("type", "array").put("items",
              new JsonObject().put("type", "string"))));
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
      };
    }
  }

  @BeforeAll
  static void start() {
    backend = TestBackend.start("be");
    node = TestNode.start();
    api = node.admin();
    node.node().pluginHost().registerInProcess("allow", "1", new PluginRegistry.Extensions(new Allow(), null,
        List.of()));
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  static JsonArray arr(Object... values) {
    return new JsonArray(List.of(values));
  }

  /** Asserts a refused edit: 400, the same field messages a create gets, and nothing changed. */
  static void refusedLikeACreate(String collection, String ref, JsonObject bad, JsonObject badPatch, String field) {
    long version = node.node().reloader().appliedVersion();
    JsonObject before = expect(200, api.get("/" + collection + "/" + ref)).json();
    JsonObject onCreate = expect(400, api.post("/" + collection, bad)).json();
    JsonObject onPut = expect(400, api.put("/" + collection + "/" + ref, bad)).json();
    JsonObject onPatch = expect(400, api.patch("/" + collection + "/" + ref, badPatch)).json();
    assertThat(fields(onPut)).contains(field);
    assertThat(fields(onPatch)).contains(field);
    assertThat(message(onPut, field)).isEqualTo(message(onCreate, field)).isEqualTo(message(onPatch, field));
    assertThat(expect(200, api.get("/" + collection + "/" + ref)).json()).isEqualTo(before);
    assertThat(node.node().reloader().appliedVersion()).isEqualTo(version);
  }

  @Test
  void aSiteIsReplacedAndPatchedWithTheChecksOfACreate() {
    String id = expect(201, api.post("/sites", new JsonObject().put("name", "e-site").put("hosts", arr("e.test"))))
        .json().getString("id");
    JsonObject put = expect(200, api.put("/sites/e-site", new JsonObject().put("name", "e-site")
        .put("hosts", arr("e.test", "*.e.test")).put("enabled", false))).json();
    assertThat(put.getJsonArray("hosts")).containsExactly("e.test", "*.e.test");
    assertThat(put.getBoolean("enabled")).isFalse();
    JsonObject patched = expect(200, api.patch("/sites/" + id, new JsonObject().put("enabled", true)
        .put("hosts", arr("e2.test")))).json();
    assertThat(patched.getJsonArray("hosts")).containsExactly("e2.test");
    assertThat(patched.getString("id")).isEqualTo(id);
    assertThat(expect(200, api.get("/sites/e-site")).json().getBoolean("enabled")).isTrue();

    refusedLikeACreate("sites", "e-site", new JsonObject().put("name", "e-site-x").put("hosts", arr("bad host")),
        new JsonObject().put("hosts", arr("bad host")), "hosts[0]");
  }

  @Test
  void aRouteIsReplacedAndPatchedInEveryMatchRuleAndOption() {
    expect(201, api.post("/upstreams", new JsonObject().put("name", "e-pool").put("targets",
        arr(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
    expect(201, api.post("/sites", new JsonObject().put("name", "e-rsite").put("hosts", arr("r.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "e-route").put("site", "e-rsite")
        .put("upstream", "e-pool").put("match", new JsonObject().put("pathPrefix", "/api"))));
    assertThat(Http.get(node.proxy() + "/api/x", "Host", "r.test").status()).isEqualTo(200);

    JsonObject replaced = expect(200, api.put("/routes/e-route", new JsonObject().put("name", "e-route")
        .put("site", "e-rsite").put("upstream", "e-pool")
        .put("match", new JsonObject().put("pathRegex", "^/v2/(.*)$").put("methods", arr("GET"))
            .put("headers", new JsonObject().put("X-Tenant", "*")))
        .put("rewrite", "/inner/$1").put("priority", 20).put("preserveHost", true))).json();
    assertThat(replaced.getJsonObject("match").getString("pathRegex")).isEqualTo("^/v2/(.*)$");
    assertThat(replaced.getJsonObject("match").containsKey("pathPrefix")).isFalse();
    assertThat(replaced.getInteger("priority")).isEqualTo(20);
    assertThat(replaced.getBoolean("preserveHost")).isTrue();
    Http.Response viaRegex = Http.get(node.proxy() + "/v2/items", "Host", "r.test", "X-Tenant", "t1");
    assertThat(viaRegex.status()).isEqualTo(200);
    assertThat(viaRegex.json().getString("uri")).isEqualTo("/inner/items");
    assertThat(viaRegex.json().getJsonObject("headers").getString("host")).isEqualTo("r.test");
    assertThat(Http.get(node.proxy() + "/v2/items", "Host", "r.test").status()).as("header rule").isEqualTo(404);

    // A merge patch switches the path form by setting the old one to null.
    JsonObject patched = expect(200, api.patch("/routes/e-route", new JsonObject()
        .put("match", new JsonObject().put("pathRegex", null).put("pathPrefix", "/shop").put("headers", null))
        .put("rewrite", null).put("stripPrefix", true).put("preserveHost", false).put("priority", 5))).json();
    assertThat(patched.getJsonObject("match").getString("pathPrefix")).isEqualTo("/shop");
    assertThat(patched.getJsonObject("match").getJsonArray("methods")).containsExactly("GET");
    assertThat(patched.getBoolean("stripPrefix")).isTrue();
    assertThat(patched.getValue("rewrite")).isNull();
    Http.Response stripped = Http.get(node.proxy() + "/shop/cart", "Host", "r.test");
    assertThat(stripped.json().getString("uri")).isEqualTo("/cart");
    assertThat(stripped.json().getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + backend.port());

    JsonObject bothForms = expect(400, api.patch("/routes/e-route", new JsonObject()
        .put("match", new JsonObject().put("path", "/exact")))).json();
    assertThat(message(bothForms, "match")).contains("give only one of pathPrefix, path and pathRegex")
        .contains("null");
    refusedLikeACreate("routes", "e-route", new JsonObject().put("name", "e-route-x").put("site", "e-rsite")
        .put("upstream", "e-pool").put("match", new JsonObject().put("pathRegex", "([a")),
        new JsonObject().put("match", new JsonObject().put("pathPrefix", null).put("pathRegex", "([a")),
        "match.pathRegex");
    refusedLikeACreate("routes", "e-route", new JsonObject().put("name", "e-route-x").put("site", "e-rsite")
        .put("upstream", "e-pool").put("priority", 99999), new JsonObject().put("priority", 99999), "priority");
  }

  @Test
  void anUpstreamIsReplacedAndPatchedInTargetsTimeoutsAlgorithmAndChecks() {
    JsonObject created = expect(201, api.post("/upstreams", new JsonObject().put("name", "e-up").put("targets",
        arr(new JsonObject().put("host", "127.0.0.1").put("port", 9101))))).json();
    JsonObject replaced = expect(200, api.put("/upstreams/e-up", new JsonObject().put("name", "e-up")
        .put("targets", arr(new JsonObject().put("host", "127.0.0.1").put("port", 9101).put("weight", 3),
            new JsonObject().put("host", "127.0.0.1").put("port", 9102).put("weight", 1).put("maxConnections", 7)))
        .put("connectTimeoutMs", 1500).put("readTimeoutMs", 9000).put("algorithm", "weighted-round-robin")
        .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "/healthz")
            .put("intervalMs", 60_000)).put("slowStartMs", 2000))
        .put("retries", new JsonObject().put("attempts", 2))
        .put("circuitBreaker", new JsonObject().put("enabled", true)))).json();
    assertThat(replaced.getString("id")).isEqualTo(created.getString("id"));
    assertThat(replaced.getJsonArray("targets")).hasSize(2);
    assertThat(replaced.getJsonArray("targets").getJsonObject(0).getInteger("weight")).isEqualTo(3);
    assertThat(replaced.getJsonArray("targets").getJsonObject(1).getInteger("maxConnections")).isEqualTo(7);
    assertThat(replaced.getInteger("connectTimeoutMs")).isEqualTo(1500);
    assertThat(replaced.getJsonObject("healthCheck").getJsonObject("active").getString("path")).isEqualTo("/healthz");
    assertThat(replaced.getJsonObject("circuitBreaker").getBoolean("enabled")).isTrue();

    JsonObject patched = expect(200, api.patch("/upstreams/e-up", new JsonObject().put("readTimeoutMs", 4000)
        .put("healthCheck", new JsonObject().put("active", null)))).json();
    assertThat(patched.getInteger("readTimeoutMs")).isEqualTo(4000);
    assertThat(patched.getInteger("connectTimeoutMs")).isEqualTo(1500);
    assertThat(patched.getJsonObject("healthCheck").getValue("active")).isNull();
    assertThat(patched.getJsonObject("healthCheck").getInteger("slowStartMs")).isEqualTo(2000);
    assertThat(patched.getJsonArray("targets").getJsonObject(0).getInteger("weight")).isEqualTo(3);

    refusedLikeACreate("upstreams", "e-up", new JsonObject().put("name", "e-up-x").put("targets",
        arr(new JsonObject().put("host", "127.0.0.1").put("port", 70000))),
        new JsonObject().put("targets", arr(new JsonObject().put("host", "127.0.0.1").put("port", 70000))),
        "targets[0].port");
    refusedLikeACreate("upstreams", "e-up", new JsonObject().put("name", "e-up-x").put("targets",
        arr(new JsonObject().put("host", "127.0.0.1").put("port", 1))).put("algorithm", "nope"),
        new JsonObject().put("algorithm", "nope"), "algorithm");
  }

  @Test
  void aBindingIsReplacedAndPatchedInConfigEnabledFailOpenAndPriority() {
    expect(201, api.post("/sites", new JsonObject().put("name", "e-bsite").put("hosts", arr("b.test"))));
    String base = "/plugins/allow/bindings";
    JsonObject b = expect(201, api.post(base, new JsonObject().put("scope", "site").put("target", "e-bsite")
        .put("config", new JsonObject().put("allow", arr("10.0.0.0/8"))))).json();
    String ref = base + "/" + b.getString("id");
    JsonObject replaced = expect(200, api.put(ref, new JsonObject().put("scope", "site").put("target", "e-bsite")
        .put("config", new JsonObject().put("allow", arr("192.168.0.0/16"))).put("enabled", false)
        .put("failOpen", true).put("priority", 42))).json();
    assertThat(replaced.getJsonObject("config").getJsonArray("allow")).containsExactly("192.168.0.0/16");
    assertThat(replaced.getBoolean("enabled")).isFalse();
    assertThat(replaced.getBoolean("failOpen")).isTrue();
    assertThat(replaced.getInteger("priority")).isEqualTo(42);
    JsonObject patched = expect(200, api.patch(ref, new JsonObject().put("enabled", true).put("priority", 7)
        .put("config", new JsonObject().put("allow", arr("10.1.0.0/16"))))).json();
    assertThat(patched.getBoolean("enabled")).isTrue();
    assertThat(patched.getBoolean("failOpen")).isTrue();
    assertThat(patched.getInteger("priority")).isEqualTo(7);
    assertThat(patched.getJsonObject("config").getJsonArray("allow")).containsExactly("10.1.0.0/16");

    long version = node.node().reloader().appliedVersion();
    JsonObject badCreate = expect(400, api.post(base, new JsonObject().put("scope", "site").put("target", "e-bsite")
        .put("config", new JsonObject().put("deny", arr("x"))))).json();
    JsonObject badPut = expect(400, api.put(ref, new JsonObject().put("scope", "site").put("target", "e-bsite")
        .put("config", new JsonObject().put("deny", arr("x"))))).json();
    JsonObject badPatch = expect(400, api.patch(ref, new JsonObject().put("config", new JsonObject()
        .put("deny", arr("x"))).put("priority", "high"))).json();
    assertThat(fields(badPut)).isEqualTo(fields(badCreate));
    assertThat(fields(badPatch)).contains(fields(badCreate).get(0), "priority");
    assertThat(message(badPatch, fields(badCreate).get(0))).isEqualTo(message(badCreate, fields(badCreate).get(0)));
    assertThat(expect(200, api.get(ref)).json().getInteger("priority")).isEqualTo(7);
    assertThat(node.node().reloader().appliedVersion()).isEqualTo(version);
  }
}
