package io.frontdesk.store;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.db.DatabaseConfig;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/** A node keeps the last configuration it applied, starts from it without its database, and catches up. */
class StartWithoutDatabaseTest {

  private static JsonObject upstream(String name, int port) {
    return new JsonObject().put("name", name)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)));
  }

  @Test
  void startsFromTheSavedConfigurationWhileTheDatabaseIsDownAndCatchesUpWhenItIsBack() throws Exception {
    Path pgDir = TestPaths.newDir("no-db").resolve("pg");
    EmbeddedPostgres pg = DatabaseOutageTest.startPostgres(pgDir, 0);
    int port = pg.getPort();
    String url = "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres?sslmode=disable";
    Path data = TestPaths.newDir("no-db-node");
    Path saved = data.resolve("last-config.json");
    TestBackend backend = TestBackend.start("app");
    try {
      long version;
      try (TestNode first = TestNode.onDatabase(url, data)) {
        first.admin().simpleRoute("app", "*", backend.port());
        version = first.node().reloader().appliedVersion();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(Files.exists(saved) && new JsonObject(Files.readString(saved)).getLong("version") == version)
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(new JsonObject(Files.readString(saved)).getLong("version")).isEqualTo(version);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
      }
      pg.close();

      try (TestNode second = TestNode.onDatabase(url, data)) {
        assertThat(second.node().reloader().appliedVersion()).isEqualTo(version);
        for (int i = 0; i < 10; i++) {
          assertThat(Http.get(second.proxy() + "/served").status()).isEqualTo(200);
        }
        Http.Response refused = second.admin().post("/upstreams", upstream("during", backend.port()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().getString("message")).contains("database is unreachable");
        assertThat(second.node().status().getBoolean("databaseReachable")).isFalse();
        assertThat(second.node().status().getString("configError")).contains("last-config.json");

        pg = DatabaseOutageTest.startPostgres(pgDir, port);
        long deadline = System.nanoTime() + 90_000_000_000L;
        Http.Response created;
        do {
          Thread.sleep(250);
          created = second.admin().post("/upstreams", upstream("after", backend.port()));
        } while (created.status() == 503 && System.nanoTime() < deadline);
        expect(201, created);
        long after = Long.parseLong(created.header("x-config-version"));
        deadline = System.nanoTime() + 30_000_000_000L;
        while (second.node().reloader().appliedVersion() < after && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(second.node().reloader().appliedVersion()).isEqualTo(after);
        // Caught up: it listens again, so a change made on another node reaches it.
        try (TestNode other = TestNode.onDatabase(url)) {
          Http.Response elsewhere = other.admin().post("/upstreams", upstream("elsewhere", backend.port()));
          expect(201, elsewhere);
          long v = Long.parseLong(elsewhere.header("x-config-version"));
          deadline = System.nanoTime() + 60_000_000_000L;
          while (second.node().reloader().appliedVersion() < v && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          assertThat(second.node().reloader().appliedVersion()).isEqualTo(v);
        }
        assertThat(second.node().reloader().lastError()).isNull();
        assertThat(second.node().reloader().databaseReachable()).isTrue();
        assertThat(Http.get(second.proxy() + "/again").status()).isEqualTo(200);
      }
    } finally {
      pg.close();
      backend.close();
    }
  }

  @Test
  void aReloadThatHangsIsGivenUpAfterTheTimeoutAndReported() throws Exception {
    try (TestNode node = TestNode.start("--reload-timeout", "1s")) {
      DatabaseConfig db = DatabaseConfig.parse(node.dbUrl(), null, null);
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        c.setAutoCommit(false);
        c.createStatement().execute("LOCK TABLE sites IN ACCESS EXCLUSIVE MODE"); // the load now waits
        node.node().reloader().reload();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (node.node().reloader().lastError() == null && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(node.node().reloader().lastError()).contains("took longer than 1.0 s");
        assertThat(node.node().status().getString("configError")).contains("took longer than");
        c.rollback();
      }
      // The next change applies normally.
      Http.Response created = node.admin().post("/upstreams", upstream("next", 9));
      expect(201, created);
      long version = Long.parseLong(created.header("x-config-version"));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (node.node().reloader().appliedVersion() < version && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(node.node().reloader().appliedVersion()).isEqualTo(version);
    }
  }
}
