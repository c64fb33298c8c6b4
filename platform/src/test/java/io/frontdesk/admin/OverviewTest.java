package io.frontdesk.admin;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The landing page's figures in one answer. */
class OverviewTest {

  @Test
  void theOverviewCountsTrafficAndNamesWhatIsDownFailedOrBehind() throws Exception {
    Path data = TestPaths.newDir("overview");
    Files.createDirectories(data.resolve("plugins"));
    Files.writeString(data.resolve("plugins").resolve("broken.jar"), "not a jar at all");
    TestBackend up = TestBackend.start("up");
    TestBackend gone = TestBackend.start("gone");
    int gonePort = gone.port();
    gone.close();
    try (TestNode node = TestNode.onDatabase(TestDatabase.newDatabase(), data)) {
      Http.Admin api = node.admin();
      JsonObject quiet = expect(200, api.get("/overview")).json();
      assertThat(quiet.getString("window")).isEqualTo("1h");
      assertThat(quiet.getLong("requests")).isZero();
      assertThat(quiet.getDouble("errorRate")).isZero();
      assertThat(quiet.containsKey("p99Micros")).isTrue();
      assertThat(quiet.getValue("p99Micros")).isNull();
      assertThat(quiet.getJsonArray("certificates")).isEmpty();

      api.simpleRoute("ov", "*", up.port());
      expect(201, api.post("/upstreams", new JsonObject().put("name", "half-gone").put("targets", new JsonArray()
          .add(new JsonObject().put("host", "127.0.0.1").put("port", up.port()))
          .add(new JsonObject().put("host", "127.0.0.1").put("port", gonePort)))
          .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "/health")
              .put("intervalMs", 200).put("unhealthyThreshold", 1)))));
      for (int i = 0; i < 8; i++) {
        assertThat(Http.get(node.proxy() + "/ok").status()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(Http.get(node.proxy() + "/status/503").status()).isEqualTo(503);
      }
      // A node that is alive but still serves version 0.
      TestDatabase.exec(node.dbUrl(), "INSERT INTO nodes (id, started_at, last_seen, version, config_version) "
          + "VALUES ('lagging', now(), now() + interval '1 minute', 'dev', 0)");

      JsonObject o = awaitOverview(api, "", x -> x.getLong("requests") >= 10 && !x.getJsonArray("targetsDown").isEmpty()
          && !x.getJsonArray("pluginsFailed").isEmpty());
      assertThat(o.fieldNames()).containsExactlyInAnyOrder("window", "requests", "errors5xx", "errorRate",
          "p99Micros", "targetsDown", "pluginsFailed", "nodesBehind", "certificates");
      assertThat(o.getLong("requests")).isEqualTo(10);
      assertThat(o.getLong("errors5xx")).isEqualTo(2);
      assertThat(o.getDouble("errorRate")).isEqualTo(0.2);
      assertThat(o.getLong("p99Micros")).isPositive();

      JsonObject down = o.getJsonArray("targetsDown").getJsonObject(0);
      assertThat(o.getJsonArray("targetsDown")).hasSize(1);
      assertThat(down.getString("upstream")).isEqualTo("half-gone");
      assertThat(down.getString("target")).isEqualTo("127.0.0.1:" + gonePort);
      assertThat(down.getString("state")).isEqualTo("unhealthy");
      assertThat(down.getString("reason")).startsWith("GET /health failed");
      assertThat(Instant.parse(down.getString("since"))).isBeforeOrEqualTo(Instant.now());

      JsonObject failed = o.getJsonArray("pluginsFailed").getJsonObject(0);
      assertThat(failed.getString("id")).isEqualTo("broken.jar");
      assertThat(failed.getString("reason")).isNotBlank();

      JsonArray behind = o.getJsonArray("nodesBehind");
      assertThat(behind).hasSize(1);
      assertThat(behind.getJsonObject(0).getString("node")).isEqualTo("lagging");
      assertThat(behind.getJsonObject(0).getLong("appliedVersion")).isZero();
      assertThat(behind.getJsonObject(0).getLong("currentVersion")).isEqualTo(node.node().reloader().appliedVersion());

      assertThat(expect(200, api.get("/overview?window=15m")).json().getString("window")).isEqualTo("15m");
      JsonObject bad = expect(400, api.get("/overview?window=forever")).json();
      assertThat(ConfigApiTest.fields(bad)).containsExactly("window");
      assertThat(expect(200, api.get("/openapi.json")).json().getJsonObject("paths").containsKey("/overview")).isTrue();
    } finally {
      up.close();
    }
  }

  private static JsonObject awaitOverview(Http.Admin api, String query, Predicate<JsonObject> until) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    JsonObject o = expect(200, api.get("/overview" + query)).json();
    while (!until.test(o)) {
      assertThat(System.currentTimeMillis()).as("overview so far: %s", o).isLessThan(deadline);
      Thread.sleep(100);
      o = expect(200, api.get("/overview" + query)).json();
    }
    return o;
  }
}
