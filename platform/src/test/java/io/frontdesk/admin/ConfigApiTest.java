package io.frontdesk.admin;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigApiTest {

  static TestNode node;
  static Http.Admin api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject upstream(String name, int port) {
    return new JsonObject().put("name", name)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)));
  }

  static JsonObject site(String name, String... hosts) {
    return new JsonObject().put("name", name).put("hosts", new JsonArray(List.of(hosts)));
  }

  @Test
  void createsReadsReplacesPatchesAndDeletesASite() {
    Http.Response created = expect(201, api.post("/sites", site("crud", "crud.example.com")));
    JsonObject s = created.json();
    String id = s.getString("id");
    assertThat(created.header("location")).isEqualTo("/api/v1/sites/" + id);
    assertThat(s.getBoolean("enabled")).isTrue();
    assertThat(s.getString("createdAt")).isNotNull();

    assertThat(expect(200, api.get("/sites/crud")).json().getString("id")).isEqualTo(id);
    assertThat(expect(200, api.get("/sites/" + id)).json().getString("name")).isEqualTo("crud");

    JsonObject replaced = expect(200, api.put("/sites/" + id, site("crud2", "a.example.com", "*.b.example.com"))).json();
    assertThat(replaced.getString("name")).isEqualTo("crud2");
    assertThat(replaced.getJsonArray("hosts")).containsExactly("a.example.com", "*.b.example.com");

    JsonObject patched = expect(200, api.patch("/sites/crud2", new JsonObject().put("enabled", false))).json();
    assertThat(patched.getBoolean("enabled")).isFalse();
    assertThat(patched.getJsonArray("hosts")).hasSize(2);

    expect(204, api.delete("/sites/crud2"));
    expect(404, api.get("/sites/" + id));
  }

  @Test
  void everyWriteBumpsTheVersionAndIsRecordedInHistory() {
    long before = node.node().reloader().appliedVersion();
    Http.Response r = expect(201, api.post("/upstreams", upstream("hist", 9)));
    long after = Long.parseLong(r.header("x-config-version"));
    assertThat(after).isEqualTo(before + 1);
    assertThat(node.node().reloader().appliedVersion()).isGreaterThanOrEqualTo(after);
    JsonObject entry = expect(200, api.get("/history/" + after)).json();
    assertThat(entry.getString("action")).isEqualTo("created upstream hist");
    assertThat(entry.getJsonObject("document").getJsonArray("upstreams").stream()
        .anyMatch(u -> ((JsonObject) u).getString("name").equals("hist"))).isTrue();
    JsonObject page = expect(200, api.get("/history?limit=1")).json();
    assertThat(page.getJsonArray("items").getJsonObject(0).getLong("version")).isEqualTo(after);
  }

  @Test
  void invalidInputAnswers400WithFieldMessagesAndChangesNothing() {
    long before = node.node().reloader().appliedVersion();
    JsonObject bad = new JsonObject().put("name", "bad name!").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", 70000).put("weight", -1))
        .add(new JsonObject().put("port", 80)))
        .put("algorithm", "no-such-algorithm").put("colour", "blue");
    Http.Response r = expect(400, api.post("/upstreams", bad));
    JsonObject body = r.json();
    assertThat(body.getString("error")).isEqualTo("invalid");
    assertThat(fields(body)).contains("name", "targets[0].port", "targets[0].weight", "targets[1].host", "colour");
    assertThat(message(body, "targets[0].port")).isEqualTo("must be at most 65535");
    assertThat(message(body, "colour")).isEqualTo("is not a known field");

    JsonObject unknownAlgo = upstream("algo", 80).put("algorithm", "no-such-algorithm");
    assertThat(message(expect(400, api.post("/upstreams", unknownAlgo)).json(), "algorithm"))
        .startsWith("unknown algorithm 'no-such-algorithm'; installed: weighted-round-robin");
    assertThat(fields(expect(400, api.post("/upstreams", upstream("empty", 80).put("targets", new JsonArray()))).json()))
        .containsExactly("targets");

    assertThat(fields(expect(400, api.post("/sites", site("h", "bad host", "*.ok.com", "a*.x.com"))).json()))
        .containsExactly("hosts[0]", "hosts[2]");
    assertThat(fields(expect(400, api.post("/sites", site("bad name!", "Not A Host!"))).json()))
        .as("a bad name does not hide a bad host").containsExactlyInAnyOrder("name", "hosts[0]");
    assertThat(fields(expect(400, api.post("/routes", new JsonObject().put("name", "r").put("site", "s")
        .put("upstream", "u").put("match", new JsonObject().put("pathRegex", "([a-z").put("pathPrefix", "/x")))).json()))
        .contains("match", "match.pathRegex");
    assertThat(expect(400, api.post("/sites", "not json")).json().getString("message")).isEqualTo("the request has invalid fields");
    assertThat(expect(400, Http.send("POST", api.base() + "/sites", "[1,2]", "content-type", "application/json", Http.AUTH[0],
        Http.AUTH[1])).body())
        .contains("must be a JSON object");
    assertThat(expect(400, api.get("/sites?limit=0")).json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("limit");

    assertThat(node.node().reloader().appliedVersion()).isEqualTo(before);
    expect(404, api.get("/upstreams/bad%20name!"));
  }

  @Test
  void unknownResourcesAnswer404() {
    expect(404, api.get("/sites/nope"));
    expect(404, api.get("/routes/00000000-0000-0000-0000-000000000000"));
    expect(404, api.put("/upstreams/nope", upstream("nope", 80)));
    expect(404, api.patch("/routes/nope", new JsonObject()));
    expect(404, api.delete("/sites/nope"));
    assertThat(expect(404, api.get("/nothing-here")).json().getString("error")).isEqualTo("not_found");
  }

  @Test
  void conflictsAnswer409AndNothingIsHalfWritten() {
    expect(201, api.post("/upstreams", upstream("c-pool", 8081)));
    expect(201, api.post("/sites", site("c-shop", "shop.c.test", "*.c.test")));
    long version = node.node().reloader().appliedVersion();

    // A name or host already taken.
    expect(409, api.post("/upstreams", upstream("c-pool", 8082)));
    JsonObject hostTaken = expect(409, api.post("/sites", site("c-other", "new.c2.test", "shop.c.test"))).json();
    assertThat(hostTaken.getString("message")).contains("host 'shop.c.test' already belongs to site 'c-shop'");
    expect(404, api.get("/sites/c-other")); // its other host was not written either
    assertThat(TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM site_hosts WHERE host = 'new.c2.test'"))
        .isEqualTo(0L);

    // A route pointing at a missing upstream or site.
    JsonObject route = new JsonObject().put("name", "c-route").put("site", "c-shop").put("upstream", "pool-x");
    assertThat(expect(409, api.post("/routes", route)).json().getString("message"))
        .contains("route 'c-route' points at upstream 'pool-x', which does not exist");
    expect(409, api.post("/routes", route.copy().put("site", "nosite").put("upstream", "c-pool")));

    // Deleting an upstream in use.
    expect(201, api.post("/routes", route.copy().put("upstream", "c-pool")));
    JsonObject inUse = expect(409, api.delete("/upstreams/c-pool")).json();
    assertThat(inUse.getString("message")).contains("upstream 'c-pool' is used by route c-route");
    expect(200, api.get("/upstreams/c-pool"));
    assertThat(node.node().reloader().appliedVersion()).isEqualTo(version + 1); // only the successful route create
  }

  @Test
  void listsPageByNameAndFilter() {
    for (int i = 0; i < 5; i++) {
      expect(201, api.post("/upstreams", upstream("page-" + i, 9000 + i)));
    }
    JsonObject p1 = expect(200, api.get("/upstreams?q=page-&limit=2&offset=0")).json();
    assertThat(p1.getLong("total")).isEqualTo(5);
    assertThat(p1.getJsonArray("items")).hasSize(2);
    assertThat(p1.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("page-0");
    JsonObject p3 = expect(200, api.get("/upstreams?q=page-&limit=2&offset=4")).json();
    assertThat(p3.getJsonArray("items")).hasSize(1);
    assertThat(p3.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("page-4");
  }

  @Test
  void routesReferToSitesAndUpstreamsByNameOrId() {
    String upId = expect(201, api.post("/upstreams", upstream("ref-pool", 8000))).json().getString("id");
    expect(201, api.post("/sites", site("ref-site", "ref.test")));
    JsonObject r = expect(201, api.post("/routes", new JsonObject().put("name", "ref-route").put("site", "ref-site")
        .put("upstream", upId).put("match", new JsonObject().put("pathPrefix", "/api").put("methods",
            new JsonArray().add("get"))).put("stripPrefix", true))).json();
    assertThat(r.getString("upstream")).isEqualTo("ref-pool");
    assertThat(r.getString("upstreamId")).isEqualTo(upId);
    assertThat(r.getJsonObject("match").getJsonArray("methods")).containsExactly("GET");
    // Renaming the upstream keeps the route pointing at it.
    expect(200, api.patch("/upstreams/ref-pool", new JsonObject().put("name", "ref-pool-2")));
    assertThat(expect(200, api.get("/routes/ref-route")).json().getString("upstream")).isEqualTo("ref-pool-2");
    JsonObject listed = expect(200, api.get("/routes?site=ref-site")).json();
    assertThat(listed.getJsonArray("items")).hasSize(1);
  }

  @Test
  void rollbackRestoresAnEarlierVersionAsANewOne() {
    long v0 = Long.parseLong(expect(201, api.post("/upstreams", upstream("rb", 7001))).header("x-config-version"));
    expect(200, api.patch("/upstreams/rb", new JsonObject().put("connectTimeoutMs", 1234)));
    expect(204, api.delete("/upstreams/rb"));
    JsonObject result = expect(200, api.post("/history/" + v0 + "/rollback", null)).json();
    assertThat(result.getLong("version")).isGreaterThan(v0 + 2);
    JsonObject rb = expect(200, api.get("/upstreams/rb")).json();
    assertThat(rb.getInteger("connectTimeoutMs")).isEqualTo(3000);
    assertThat(expect(200, api.get("/history?limit=1")).json().getJsonArray("items").getJsonObject(0)
        .getString("action")).startsWith("roll back to version " + v0 + ": ");
    expect(404, api.post("/history/999999/rollback", null));
  }

  @Test
  void servesAnOpenApiDocumentDescribingTheResources() {
    JsonObject doc = expect(200, api.get("/openapi.json")).json();
    assertThat(doc.getString("openapi")).startsWith("3.1");
    assertThat(doc.getJsonObject("paths").fieldNames()).contains("/sites", "/sites/{ref}", "/upstreams",
        "/upstreams/{ref}", "/routes", "/routes/{ref}", "/plugins/{plugin}/bindings", "/history");
    JsonObject upstreamSchema = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Upstream");
    assertThat(upstreamSchema.getJsonArray("required")).contains("name", "targets");
  }

  static List<String> fields(JsonObject error) {
    return error.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  static String message(JsonObject error, String field) {
    return error.getJsonArray("errors").stream().map(e -> (JsonObject) e)
        .filter(e -> e.getString("field").equals(field)).map(e -> e.getString("message")).findFirst().orElse(null);
  }
}
