package io.frontdesk.store;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Without its database a node keeps proxying on its last configuration and refuses writes clearly. */
class DatabaseOutageTest {

  static EmbeddedPostgres startPostgres(Path dir, int port) throws Exception {
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(TestPaths.work().resolve("pg-bin").toFile())
        .setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
  }

  @Test
  void keepsServingAndAnswers503ForWritesUntilTheDatabaseIsBack() throws Exception {
    Path dir = TestPaths.newDir("outage").resolve("pg");
    EmbeddedPostgres pg = startPostgres(dir, 0);
    int port = pg.getPort();
    TestBackend backend = TestBackend.start("app");
    String url = "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres?sslmode=disable";
    try (TestNode node = TestNode.onDatabase(url)) {
      node.admin().simpleRoute("app", "*", backend.port());
      pg.close();

      for (int i = 0; i < 20; i++) {
        assertThat(Http.get(node.proxy() + "/still").status()).isEqualTo(200);
      }
      Http.Response refused = node.admin().post("/sites", new JsonObject().put("name", "new")
          .put("hosts", new io.vertx.core.json.JsonArray().add("new.test")));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("message")).contains("database is unreachable")
          .contains("keeps serving its last configuration");

      pg = startPostgres(dir, port);
      long deadline = System.nanoTime() + 30_000_000_000L;
      Http.Response created;
      do {
        Thread.sleep(200);
        created = node.admin().post("/upstreams", new JsonObject().put("name", "after")
            .put("targets", new io.vertx.core.json.JsonArray().add(new JsonObject().put("host", "127.0.0.1")
                .put("port", backend.port()))));
      } while (created.status() == 503 && System.nanoTime() < deadline);
      expect(201, created);
      assertThat(node.node().reloader().appliedVersion()).isEqualTo(
          Long.parseLong(created.header("x-config-version")));
    } finally {
      pg.close();
      backend.close();
    }
  }
}
