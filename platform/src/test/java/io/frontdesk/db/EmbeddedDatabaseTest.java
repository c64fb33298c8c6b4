package io.frontdesk.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.Frontdesk;
import io.frontdesk.SettingsParser;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL is for this OS account only: no TCP port, a socket in an owner-only
 * folder, a password from an owner-only file; and it comes back by itself when it dies.
 */
class EmbeddedDatabaseTest {

  /** Short, so the socket path fits in 107 bytes wherever the build runs. */
  private static Path newDataDir(String name) throws Exception {
    Path dir = Files.createTempDirectory("fd-" + name);
    DIRS.add(dir);
    return dir.resolve("data");
  }

  private static final List<Path> DIRS = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterAll
  static void removeDataDirs() throws Exception {
    for (Path d : DIRS) {
      try (var s = Files.walk(d)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Frontdesk start(Path data) {
    return Frontdesk.start(SettingsParser.parse(new String[] {"--bind", "127.0.0.1", "--http-port", "0",
        "--admin-port", "0", "--data-dir", data.toString(), "--plugins-dir", data.resolve("plugins").toString(),
        "--event-loops", "2", "--drain-timeout", "5s", "--admin-token", Http.ADMIN_TOKEN}, Map.of()));
  }

  private static Http.Admin admin(Frontdesk node) {
    return new Http.Admin("http://127.0.0.1:" + node.adminPort() + "/api/v1");
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static long postmasterPid(Path data) throws Exception {
    return Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
  }

  private static Connection connect(Path data, String password) throws SQLException {
    DatabaseConfig db = new DatabaseConfig(data.resolve("postgres-run").toString(), 5432, "postgres", "postgres",
        password, "disable");
    return DriverManager.getConnection(db.jdbcUrl(), "postgres", password);
  }

  @Test
  void listensOnNoTcpPortOnlyOnAnOwnerOnlySocketWithAPasswordFromAnOwnerOnlyFile() throws Exception {
    Path data = newDataDir("private");
    try (Frontdesk node = start(data)) {
      assertThat(perms(data)).isEqualTo("rwx------");
      assertThat(perms(data.resolve("postgres"))).isEqualTo("rwx------");
      assertThat(perms(data.resolve("postgres-run"))).isEqualTo("rwx------");
      assertThat(perms(data.resolve("postgres-password"))).isEqualTo("rw-------");
      assertThat(perms(data.resolve("frontdesk.lock"))).isEqualTo("rw-------");
      for (String dir : List.of("access-log-spool", "plugin-cache", "uploads", "postgres-bin")) {
        assertThat(perms(data.resolve(dir))).as(dir).isEqualTo("rwx------");
      }
      assertThat(node.database().host()).isEqualTo(data.resolve("postgres-run").toAbsolutePath().toString());

      assertThat(tcpListenersOf(postmasterPid(data))).isEmpty();

      String password = Files.readString(data.resolve("postgres-password")).trim();
      try (Connection c = connect(data, password);
          ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('listen_addresses')")) {
        rs.next();
        assertThat(rs.getString(1)).isEmpty();
      }
      assertThatThrownBy(() -> connect(data, "wrong").close())
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
      assertThat(Files.readString(data.resolve("postgres").resolve("pg_hba.conf")))
          .doesNotContain("trust").doesNotContain("host ");
      anotherOsUserCannotGetIn(data);
    }
  }

  /** As root, try it as user nobody: neither the socket nor the password file can be reached. */
  private static void anotherOsUserCannotGetIn(Path data) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(root && Files.isExecutable(Path.of("/usr/sbin/runuser"))
        && Files.isExecutable(Path.of("/usr/bin/python3")), "needs root, runuser and /usr/bin/python3");
    // Only the data directory itself may keep nobody out: open up the folder above it.
    Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    String socket = data.resolve("postgres-run").resolve(".s.PGSQL.5432").toString();
    Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c",
        "import socket,sys\n"
            + "try:\n open(sys.argv[2]).read(); print('read the password')\n"
            + "except PermissionError: pass\n"
            + "s = socket.socket(socket.AF_UNIX)\n"
            + "try:\n s.connect(sys.argv[1]); print('connected')\n"
            + "except PermissionError: print('refused')\n",
        socket, data.resolve("postgres-password").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("refused");
  }

  @Test
  void aDataDirectoryMadeWithTrustAuthenticationIsSwitchedToPasswordsAtItsNextStart() throws Exception {
    Path data = newDataDir("trust");
    // What earlier versions made: initdb -A trust through zonky, TCP on 127.0.0.1.
    EmbeddedPostgres old = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(data.resolve("postgres-bin").toFile())
        .setDataDirectory(data.resolve("postgres")).setCleanDataDirectory(false).start();
    old.close();
    assertThat(Files.readString(data.resolve("postgres").resolve("pg_hba.conf"))).contains("trust");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

    try (Frontdesk node = start(data)) {
      assertThat(perms(data)).isEqualTo("rwx------");
      try (var bins = Files.list(data.resolve("postgres-bin"))) {
        assertThat(bins.map(p -> p.getFileName().toString()).toList()).as("zonky's old unpack is removed")
            .noneMatch(n -> n.startsWith("PG-"));
      }
      assertThatThrownBy(() -> connect(data, "postgres").close())
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
      Http.Admin.expect(201, admin(node).post("/upstreams", upstream("kept")));
    }
    // And it starts again on its own password.
    try (Frontdesk node = start(data)) {
      Http.Admin.expect(200, admin(node).get("/upstreams/kept"));
    }
  }

  @Test
  void aKilledPostmasterIsStartedAgainAndAdminWritesSucceedAfterwards() throws Exception {
    Path data = newDataDir("killed");
    try (Frontdesk node = start(data)) {
      Http.Admin.expect(201, admin(node).post("/upstreams", upstream("before")));
      long pid = postmasterPid(data);
      ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL

      long deadline = System.nanoTime() + 90_000_000_000L;
      Http.Response r;
      do {
        Thread.sleep(250);
        r = admin(node).post("/upstreams", upstream("after"));
      } while (r.status() != 201 && System.nanoTime() < deadline);
      Http.Admin.expect(201, r);
      assertThat(postmasterPid(data)).isNotEqualTo(pid);
      Http.Admin.expect(200, admin(node).get("/upstreams/before"));
    }
  }

  private static JsonObject upstream(String name) {
    return new JsonObject().put("name", name)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 9)));
  }

  /** The TCP sockets in LISTEN state that the process holds, from /proc. */
  private static List<String> tcpListenersOf(long pid) throws Exception {
    Set<String> inodes = new HashSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (java.io.IOException ignored) {
          // closed meanwhile
        }
      }
    }
    assertThat(inodes).as("the postmaster holds its Unix socket").isNotEmpty();
    List<String> listening = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path t = Path.of(table);
      if (!Files.exists(t)) {
        continue;
      }
      for (String line : Files.readAllLines(t).subList(1, Files.readAllLines(t).size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A") && inodes.contains(f[9])) {
          listening.add(table + " " + f[1]);
        }
      }
    }
    return listening;
  }
}
