package io.frontdesk.store;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history speaks names: its lines, its diffs, and a rollback that keeps what it does not change. */
class HistoryNamesTest {

  static TestNode node;
  static Http.Admin api;

  /** A filter that does nothing, with an open config. */
  static final class Noop implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 100;
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object");
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      return new Filter() {
      };
    }
  }

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    node.node().pluginHost().registerInProcess("access-control", "1", new PluginRegistry.Extensions(new Noop(), null,
        List.of()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static String lastAction() {
    return expect(200, api.get("/history?limit=1")).json().getJsonArray("items").getJsonObject(0).getString("action");
  }

  static long version(Http.Response r) {
    return Long.parseLong(r.header("x-config-version"));
  }

  static JsonObject upstream(String name, int weight) {
    return new JsonObject().put("name", name).put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", 3000).put("weight", weight)));
  }

  @Test
  void historyLinesNameWhatChanged() {
    expect(201, api.post("/sites", new JsonObject().put("name", "shop").put("hosts", new JsonArray().add("shop.test"))));
    assertThat(lastAction()).isEqualTo("created site shop");
    expect(201, api.post("/upstreams", upstream("shop", 1)));
    assertThat(lastAction()).isEqualTo("created upstream shop");
    expect(200, api.patch("/upstreams/shop", new JsonObject().put("targets", upstream("x", 3).getJsonArray("targets"))));
    assertThat(lastAction()).isEqualTo("changed target 127.0.0.1:3000 weight 1 → 3 in upstream shop");
    expect(201, api.post("/routes", new JsonObject().put("name", "api").put("site", "shop").put("upstream", "shop")
        .put("priority", 10)));
    assertThat(lastAction()).isEqualTo("created route api");
    expect(200, api.patch("/routes/api", new JsonObject().put("priority", 20)));
    assertThat(lastAction()).isEqualTo("changed route api: priority 10 → 20");
    String binding = expect(201, api.post("/plugins/access-control/bindings", new JsonObject().put("scope", "route")
        .put("target", "api"))).json().getString("id");
    assertThat(lastAction()).isEqualTo("bound access-control to route api");
    expect(200, api.patch("/plugins/access-control/bindings/" + binding, new JsonObject().put("enabled", false)));
    assertThat(lastAction()).isEqualTo("changed binding access-control@route:api: enabled true → false");
    expect(200, api.post("/plugins/access-control/disable", null));
    assertThat(lastAction()).isEqualTo("disabled plugin access-control");
    expect(200, api.post("/plugins/access-control/enable", null));
    expect(204, api.delete("/plugins/access-control/bindings/" + binding));
    assertThat(lastAction()).isEqualTo("unbound access-control from route api");
    expect(200, api.patch("/routes/api", new JsonObject().put("name", "api2")));
    assertThat(lastAction()).isEqualTo("renamed route api to api2");
    expect(200, api.patch("/routes/api2", new JsonObject()));
    assertThat(lastAction()).isEqualTo("saved route api2 unchanged");
    expect(204, api.delete("/routes/api2"));
    assertThat(lastAction()).isEqualTo("deleted route api2");
  }

  @Test
  void diffsKeyObjectsByNameAndShowReferencesByName() {
    expect(201, api.post("/sites", new JsonObject().put("name", "d-site").put("hosts", new JsonArray().add("d.test"))));
    expect(201, api.post("/upstreams", upstream("d-pool", 1)));
    long created = version(expect(201, api.post("/routes", new JsonObject().put("name", "d-route")
        .put("site", "d-site").put("upstream", "d-pool").put("priority", 10))));
    JsonObject added = expect(200, api.get("/history/" + created + "/diff")).json();
    assertThat(added.getLong("version")).isEqualTo(created);
    assertThat(added.getLong("previousVersion")).isEqualTo(created - 1);
    assertThat(added.getString("action")).isEqualTo("created route d-route");
    JsonObject change = added.getJsonArray("changes").getJsonObject(0);
    assertThat(added.getJsonArray("changes")).hasSize(1);
    assertThat(change.getString("path")).isEqualTo("routes/d-route");
    assertThat(change.getString("change")).isEqualTo("added");
    assertThat(change.getJsonObject("after").getString("site")).isEqualTo("d-site");
    assertThat(change.getJsonObject("after").getString("upstream")).isEqualTo("d-pool");
    assertThat(change.getJsonObject("after").containsKey("siteId")).isFalse();

    long bound = version(expect(201, api.post("/plugins/access-control/bindings", new JsonObject().put("scope", "route")
        .put("target", "d-route").put("config", new JsonObject().put("allow", new JsonArray().add("10.0.0.0/8"))))));
    JsonObject b = expect(200, api.get("/history/" + bound + "/diff")).json().getJsonArray("changes").getJsonObject(0);
    assertThat(b.getString("path")).isEqualTo("bindings/access-control@route:d-route");
    assertThat(b.getJsonObject("after").getString("target")).isEqualTo("d-route");
    assertThat(b.getJsonObject("after").containsKey("routeId")).isFalse();

    expect(201, api.post("/upstreams", upstream("d-pool-2", 1)));
    long changed = version(expect(200, api.patch("/routes/d-route", new JsonObject().put("priority", 20)
        .put("upstream", "d-pool-2").put("match", new JsonObject().put("pathPrefix", "/api")))));
    Map<String, JsonObject> byPath = expect(200, api.get("/history/" + changed + "/diff")).json()
        .getJsonArray("changes").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(o -> o.getString("path"), o -> o));
    assertThat(byPath).containsOnlyKeys("routes/d-route/priority", "routes/d-route/upstream",
        "routes/d-route/match.pathPrefix");
    assertThat(byPath.get("routes/d-route/priority").getInteger("before")).isEqualTo(10);
    assertThat(byPath.get("routes/d-route/priority").getInteger("after")).isEqualTo(20);
    assertThat(byPath.get("routes/d-route/upstream").getString("before")).isEqualTo("d-pool");
    assertThat(byPath.get("routes/d-route/upstream").getString("after")).isEqualTo("d-pool-2");
    assertThat(byPath.get("routes/d-route/match.pathPrefix").getString("change")).isEqualTo("changed");

    long hosts = version(expect(200, api.patch("/sites/d-site", new JsonObject().put("hosts",
        new JsonArray().add("d.test").add("www.d.test")))));
    JsonObject h = expect(200, api.get("/history/" + hosts + "/diff")).json().getJsonArray("changes").getJsonObject(0);
    assertThat(h.getString("path")).isEqualTo("sites/d-site/hosts");
    assertThat(h.getJsonArray("after")).containsExactly("d.test", "www.d.test");
    expect(404, api.get("/history/999999/diff"));
  }

  @Test
  void aRollbackKeepsIdsAndCreationTimesAndTouchesOnlyWhatItChanges() throws Exception {
    JsonObject kept = expect(201, api.post("/sites", new JsonObject().put("name", "r-kept")
        .put("hosts", new JsonArray().add("kept.test")))).json();
    JsonObject pool = expect(201, api.post("/upstreams", upstream("r-pool", 1))).json();
    long v0 = version(expect(200, api.patch("/upstreams/r-pool", new JsonObject().put("connectTimeoutMs", 1000))));
    Thread.sleep(50); // creation and update times of what follows differ from the ones above
    expect(200, api.patch("/upstreams/r-pool", new JsonObject().put("connectTimeoutMs", 2000)));
    JsonObject later = expect(201, api.post("/sites", new JsonObject().put("name", "r-later")
        .put("hosts", new JsonArray().add("later.test")))).json();
    JsonObject keptBefore = expect(200, api.get("/sites/r-kept")).json();

    expect(200, api.post("/history/" + v0 + "/rollback", null));
    assertThat(lastAction()).startsWith("roll back to version " + v0 + ": ")
        .contains("changed upstream r-pool: connectTimeoutMs 2000 → 1000").contains("deleted site r-later");
    JsonObject keptAfter = expect(200, api.get("/sites/r-kept")).json();
    assertThat(keptAfter.getString("id")).isEqualTo(kept.getString("id"));
    assertThat(keptAfter.getString("createdAt")).isEqualTo(keptBefore.getString("createdAt"));
    assertThat(keptAfter.getString("updatedAt")).as("untouched by the rollback").isEqualTo(keptBefore.getString("updatedAt"));
    JsonObject poolAfter = expect(200, api.get("/upstreams/r-pool")).json();
    assertThat(poolAfter.getString("id")).isEqualTo(pool.getString("id"));
    assertThat(poolAfter.getString("createdAt")).isEqualTo(pool.getString("createdAt"));
    assertThat(poolAfter.getInteger("connectTimeoutMs")).isEqualTo(1000);
    assertThat(java.time.Instant.parse(poolAfter.getString("updatedAt")))
        .isAfter(java.time.Instant.parse(pool.getString("updatedAt")));
    expect(404, api.get("/sites/r-later"));
    assertThat(TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM sites WHERE id = '"
        + later.getString("id") + "'")).isEqualTo(0L);
  }
}
