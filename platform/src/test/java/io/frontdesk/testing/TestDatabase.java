package io.frontdesk.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL 17 (embedded) for the whole test JVM; every test gets a fresh database in it
 * so tests never see each other's rows.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        Path dir = TestPaths.work().resolve("pg-" + ProcessHandle.current().pid());
        Files.createDirectories(dir);
        server = EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(TestPaths.work().resolve("pg-bin").toFile())
            .setDataDirectory(dir.resolve("data"))
            .setCleanDataDirectory(true)
            .setServerConfig("max_connections", "400")
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.close();
          } catch (IOException ignored) {
            // the JVM is going away
          }
        }));
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the test PostgreSQL", e);
      }
    }
    return server;
  }

  /** @return the URL of a new, empty database */
  public static String newDatabase() {
    EmbeddedPostgres pg = server();
    String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/" + name + "?sslmode=disable";
  }

  /** Runs SQL against a test database (for checks that look behind the API). */
  public static void exec(String url, String sql) {
    try (Connection c = connect(url); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the first column of the first row */
  public static Object queryOne(String url, String sql) {
    try (Connection c = connect(url); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return a JDBC connection to a test database; the caller closes it */
  public static Connection connect(String url) throws SQLException {
    String jdbc = "jdbc:" + url.replace("postgres:postgres@", "");
    return java.sql.DriverManager.getConnection(jdbc, "postgres", "postgres");
  }
}
