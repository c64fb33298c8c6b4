package io.frontdesk;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.ProcessNode;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `java ... Main` as an operator runs it: embedded PostgreSQL, console, signals, restarts. */
class MainProcessTest {

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static ProcessBuilder main(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
        "io.frontdesk.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() throws Exception {
    Process p = main("--help").start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).contains("--http-port", "FRONTDESK_HTTP_PORT", "(default: 8080)", "FRONTDESK_ADMIN_PORT",
        "(default: 9000)", "FRONTDESK_ADMIN_BIND", "(default: 127.0.0.1)", "FRONTDESK_DATA_DIR", "FRONTDESK_DB_URL",
        "FRONTDESK_PLUGINS_DIR");
  }

  @Test
  void aBadFlagExitsWithAClearMessage() throws Exception {
    Process p = main("--http-port", "99999").start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("--http-port must be a port number");
  }

  @Test
  void runsOnTheEmbeddedDatabaseKeepsDataAcrossRestartsAndShutsDownGracefully() throws Exception {
    Path data = TestPaths.newDir("embedded");
    TestBackend backend = TestBackend.start("app");
    try {
      ProcessNode first = ProcessNode.start(List.of(), List.of("--data-dir", data.toString()));
      String banner = first.output();
      assertThat(banner).contains("proxy      http://127.0.0.1:" + first.proxyPort())
          .contains("admin      " + first.adminBase())
          .contains("embedded PostgreSQL 17")
          .contains("No routes yet")
          .contains("  TOKEN=fdt_")
          .contains("  A=" + first.adminBase() + "/api/v1; ")
          .contains("curl -X POST $A/upstreams");
      assertThat(banner).containsPattern("(epoll|io_uring|nio) transport");
      // The random first password is in a 0600 file; the console names the file, never the password.
      Path pwFile = data.resolve("initial-admin-password");
      assertThat(banner).contains(pwFile.toString()).doesNotContain(Files.readString(pwFile).trim());
      first.admin().simpleRoute("app", "*", backend.port());
      assertThat(Http.get(first.proxy() + "/x").status()).isEqualTo(200);
      assertDurabilityOn(data);

      // SIGTERM with a request in flight: it completes, then the process exits.
      CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
          HttpRequest.newBuilder(URI.create(first.proxy() + "/slow/1500")).build(), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300);
      first.terminate(60);
      assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(first.output()).contains("shutting down").contains("stopped");
      assertThat(postmasterRunning(data)).isFalse();

      // Restart: the configuration is still there.
      ProcessNode second = ProcessNode.start(List.of(), List.of("--data-dir", data.toString()));
      assertThat(second.output()).doesNotContain("No routes yet");
      assertThat(Http.get(second.proxy() + "/x").status()).isEqualTo(200);

      // kill -9 leaves PostgreSQL running; the next start copes with it.
      second.kill();
      assertThat(postmasterRunning(data)).isTrue();
      try (ProcessNode third = ProcessNode.start(List.of(), List.of("--data-dir", data.toString()))) {
        assertThat(Http.get(third.proxy() + "/x").status()).isEqualTo(200);
        expect(200, third.admin().get("/routes/app"));
      }
    } finally {
      backend.close();
    }
  }

  @Test
  void twoNodesCannotShareOneDataDirectory() throws Exception {
    Path data = TestPaths.newDir("locked");
    try (ProcessNode first = ProcessNode.start(List.of(), List.of("--data-dir", data.toString()))) {
      Process second = main("--data-dir", data.toString(), "--http-port", "0", "--admin-port", "0").start();
      String out = new String(second.getInputStream().readAllBytes());
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(out).contains("is in use by another running Frontdesk");
      assertThat(Http.get(first.adminBase() + "/healthz").status()).isEqualTo(200);
    }
  }

  private static boolean postmasterRunning(Path data) throws Exception {
    Path pid = data.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return false;
    }
    long p = Long.parseLong(Files.readAllLines(pid).get(0).trim());
    return ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The operator's data survives a crash: fsync and synchronous commit are on. */
  private static void assertDurabilityOn(Path data) throws Exception {
    String password = Files.readString(data.resolve("postgres-password")).trim();
    var db = new io.frontdesk.db.DatabaseConfig(data.resolve("postgres-run").toString(), 5432, "postgres", "postgres",
        password, "disable");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", password);
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('listen_addresses')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("on");
      assertThat(rs.getString(2)).isEqualTo("on");
      assertThat(rs.getString(3)).isEmpty(); // the Unix socket only
    }
  }
}
