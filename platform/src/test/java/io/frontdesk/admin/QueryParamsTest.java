package io.frontdesk.admin;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A query parameter an endpoint does not know is refused, never silently ignored. */
class QueryParamsTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("be");
    node = TestNode.start();
    api = node.admin();
    api.simpleRoute("qp", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  @Test
  void everyGetEndpointRefusesAParameterItDoesNotKnow() {
    JsonObject paths = expect(200, api.get("/openapi.json")).json().getJsonObject("paths");
    List<String> endpoints = new ArrayList<>(List.of("/openapi.json"));
    for (String p : paths.fieldNames()) {
      if (paths.getJsonObject(p).containsKey("get")) {
        endpoints.add(p.replaceAll("\\{[^}]+}", "x"));
      }
    }
    assertThat(endpoints).contains("/logs", "/logs/stats", "/logs/export", "/logs/plugin-cost", "/live",
        "/live/stream", "/nodes", "/sites", "/routes", "/upstreams", "/history", "/history/x", "/history/x/diff",
        "/plugins", "/plugins/x", "/plugins/x/bindings", "/bindings", "/health/upstreams", "/upstreams/x/health",
        "/overview", "/demo", "/status", "/users", "/tokens", "/auth/session");
    for (String e : endpoints) {
      Http.Response r = api.get(e + "?bogus=1");
      assertThat(r.status()).as("GET " + e + ": " + r.body()).isEqualTo(400);
      JsonObject error = r.json().getJsonArray("errors").getJsonObject(0);
      assertThat(error.getString("field")).as(e).isEqualTo("bogus");
      assertThat(error.getString("message")).as(e).startsWith("is not a parameter of GET /api/v1" + e);
    }
  }

  @Test
  void aMisspelledSearchFilterIsA400NamingItAndListingTheKnownOnes() {
    JsonObject body = expect(400, api.get("/logs?stauts=500&limit=5")).json();
    assertThat(body.getString("error")).isEqualTo("invalid");
    assertThat(body.getJsonArray("errors")).hasSize(1);
    JsonObject e = body.getJsonArray("errors").getJsonObject(0);
    assertThat(e.getString("field")).isEqualTo("stauts");
    assertThat(e.getString("message")).contains("known: client, cursor, from").contains("status");
    expect(200, api.get("/logs?status=500&limit=5"));
    expect(200, api.get("/sites?limit=1&offset=0&q=qp"));
    expect(200, api.get("/routes?site=qp"));
  }

  @Test
  void statisticsRefuseSearchFiltersTheirRollupsCannotApplyAndSayWhereTheyWork() {
    JsonObject body = expect(400, api.get("/logs/stats?from=1h&upstream=qp&status=500")).json();
    assertThat(ConfigApiTest.fields(body)).containsExactly("status", "upstream");
    assertThat(ConfigApiTest.message(body, "upstream")).contains("per site and route")
        .contains("GET /api/v1/logs?upstream=");
    expect(200, api.get("/logs/stats?from=1h&bucket=auto&site=qp&route=qp"));
  }

  @Test
  void anExportTakesTheSearchFiltersItsFormatAndARowLimitButNoCursor() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(Http.get(node.proxy() + "/e" + i).status()).isEqualTo(200);
    }
    long deadline = System.currentTimeMillis() + 15_000;
    while (expect(200, api.get("/logs?site=qp")).json().getJsonArray("items").size() < 5) {
      assertThat(System.currentTimeMillis()).as("5 rows stored").isLessThan(deadline);
      Thread.sleep(100);
    }
    Http.Response two = expect(200, api.get("/logs/export?format=ndjson&site=qp&limit=2"));
    assertThat(two.body().lines().count()).isEqualTo(2);
    Http.Response all = expect(200, api.get("/logs/export?format=ndjson&site=qp"));
    assertThat(all.body().lines().count()).isEqualTo(5);
    assertThat(ConfigApiTest.fields(expect(400, api.get("/logs/export?cursor=abc")).json())).containsExactly("cursor");
  }
}
