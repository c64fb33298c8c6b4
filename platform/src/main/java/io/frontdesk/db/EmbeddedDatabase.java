package io.frontdesk.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 run by Frontdesk itself when no external database is given: data in
 * {@code <data-dir>/postgres}, binaries unpacked once into {@code <data-dir>/postgres-bin}.
 *
 * <p>Only this OS account can reach it: it listens on no TCP port, only on a Unix socket in the
 * 0700 folder {@code <data-dir>/postgres-run}, and every login needs the random password kept in
 * {@code <data-dir>/postgres-password} (0600, scram-sha-256). A data directory made by an earlier
 * version with trust authentication is switched over at its next start. fsync and synchronous
 * commit are on so committed config and logs survive a crash. If the server dies, it is started
 * again, with a growing pause between attempts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final int PORT = 5432; // names the socket file only: nothing listens on TCP
  static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  /** pg_hba.conf: local socket only, password always. */
  static final String HBA = "# Written by Frontdesk at every start: Unix socket only, password (scram-sha-256) always.\n"
      + "local all all scram-sha-256\n";

  private final Postmaster postmaster;
  private final Path socketDir;
  private final String password;
  private final ScheduledExecutorService supervisor;
  private final AtomicLong restarts = new AtomicLong();
  private volatile boolean closing;
  private Process process;

  private EmbeddedDatabase(Postmaster postmaster, Path socketDir, String password) {
    this.postmaster = postmaster;
    this.socketDir = socketDir;
    this.password = password;
    this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "embedded-postgres-supervisor");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts PostgreSQL on the locked data directory.
   *
   * @throws IllegalStateException with what went wrong and what to do
   */
  public static EmbeddedDatabase start(DataDirectory dataDir) {
    Path pgData = dataDir.path().resolve("postgres");
    stopOrphanedPostmaster(pgData);
    try {
      Path binaries = PostgresBinaries.unpack(dataDir.path().resolve("postgres-bin"));
      Path socketDir = socketDir(dataDir.path());
      Postmaster pm = new Postmaster(binaries, pgData, serverConfig(socketDir));
      String password = prepare(pm, dataDir.path().resolve("postgres-password"));
      EmbeddedDatabase db = new EmbeddedDatabase(pm, socketDir, password);
      db.startServer();
      return db;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the embedded PostgreSQL did not start (" + e.getMessage() + "). "
          + "It needs a writable data directory and, when run as root, user namespaces (unshare -U); "
          + "in containers use an external PostgreSQL with FRONTDESK_DB_URL.", e);
    }
  }

  private static Map<String, String> serverConfig(Path socketDir) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("listen_addresses", "");
    c.put("unix_socket_directories", socketDir.toString());
    c.put("unix_socket_permissions", "0700");
    c.put("port", Integer.toString(PORT));
    c.put("password_encryption", "scram-sha-256");
    c.put("timezone", "UTC");
    // An operator's data must survive a crash.
    c.put("fsync", "on");
    c.put("synchronous_commit", "on");
    c.put("full_page_writes", "on");
    c.put("max_connections", "100");
    // The access log writes all day: fewer checkpoints mean fewer full-page images in the WAL.
    c.put("shared_buffers", "256MB");
    c.put("max_wal_size", "2GB");
    c.put("checkpoint_timeout", "15min");
    c.put("work_mem", "16MB");
    return c;
  }

  /**
   * A socket path is limited to 107 bytes (sun_path): a deep data directory gets a private 0700 folder of
   * its own in the temporary directory instead.
   */
  private static Path socketDir(Path dataDir) throws IOException {
    Path dir = dataDir.toAbsolutePath().resolve("postgres-run");
    if (dir.resolve(".s.PGSQL." + PORT).toString().getBytes(StandardCharsets.UTF_8).length <= 107) {
      return OwnerOnly.directory(dir);
    }
    return Files.createTempDirectory("frontdesk-pg-",
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OwnerOnly.DIR));
  }

  /**
   * Makes sure the cluster exists and takes only the password in the password file: a new one is
   * made with it; one still on the old trust setup (or whose password file is gone) gets a new
   * password in single-user mode before pg_hba.conf is narrowed.
   *
   * @return the password
   */
  static String prepare(Postmaster pm, Path passwordFile) throws IOException {
    Path pgData = pm.pgData();
    boolean fresh = !Files.exists(pgData.resolve("PG_VERSION"));
    boolean hadPassword = Files.exists(passwordFile);
    String password = hadPassword ? Files.readString(passwordFile).trim() : newPassword();
    if (!hadPassword) {
      OwnerOnly.writeAtomically(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
    }
    OwnerOnly.file(passwordFile);
    if (fresh) {
      pm.initdb(passwordFile);
    } else {
      OwnerOnly.directory(pgData);
      Path hba = pgData.resolve("pg_hba.conf");
      boolean managed = Files.exists(hba) && Files.readString(hba).equals(HBA);
      if (!managed || !hadPassword) {
        log.info("setting a password on the embedded PostgreSQL and allowing only password logins on its socket");
        pm.singleUser("ALTER ROLE postgres PASSWORD '" + password + "'");
      }
    }
    OwnerOnly.writeAtomically(pgData.resolve("pg_hba.conf"), HBA.getBytes(StandardCharsets.UTF_8));
    return password;
  }

  private static String newPassword() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b); // no quote can end the SQL literal
  }

  private synchronized void startServer() throws IOException {
    if (closing) { // checked under the lock close() takes, so no server outlives close()
      throw new IOException("the embedded PostgreSQL is being stopped");
    }
    Process p = postmaster.start(STARTUP_WAIT);
    process = p;
    p.onExit().thenRun(() -> exited(p));
  }

  private void exited(Process p) {
    if (closing) {
      return;
    }
    log.error("the embedded PostgreSQL (pid {}) stopped with code {}; starting it again in {} ms", p.pid(),
        p.exitValue(), FIRST_RESTART_DELAY.toMillis());
    scheduleRestart(FIRST_RESTART_DELAY);
  }

  private void scheduleRestart(Duration delay) {
    if (closing) {
      return;
    }
    try {
      supervisor.schedule(() -> restart(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void restart(Duration delay) {
    if (closing) {
      return;
    }
    try {
      // Backends orphaned by a killed postmaster may still hold shared memory for a moment;
      // PostgreSQL refuses to start until they are gone, and the next attempt then succeeds.
      startServer();
      restarts.incrementAndGet();
      log.info("the embedded PostgreSQL runs again (pid {})", process.pid());
    } catch (IOException | RuntimeException e) {
      Duration next = delay.multipliedBy(2).compareTo(MAX_RESTART_DELAY) > 0 ? MAX_RESTART_DELAY : delay.multipliedBy(2);
      log.error("could not start the embedded PostgreSQL again ({}); next try in {} s", e.getMessage(),
          next.toSeconds());
      scheduleRestart(next);
    }
  }

  /** @return how many times the server was started again after it stopped by itself */
  public long restarts() {
    return restarts.get();
  }

  /**
   * After the JVM was killed (-9), its PostgreSQL keeps running and holds postmaster.pid. We hold
   * the data directory's lock, so such a postmaster is an orphan of an earlier run: stop it.
   */
  static void stopOrphanedPostmaster(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile);
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IOException | RuntimeException e) {
      return; // unreadable: PostgreSQL itself decides whether it is stale
    }
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty() || !ph.get().isAlive()
        || !ph.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
      return;
    }
    log.warn("stopping PostgreSQL (pid {}) left running by an earlier Frontdesk that did not shut down", pid);
    ProcessHandle h = ph.get();
    h.destroy(); // SIGTERM: shut down once its (dead) sessions are gone
    try {
      h.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("PostgreSQL (pid {}) did not stop in 30 s; killing it (it recovers from its WAL at start)", pid);
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // start() reports the lock if it is still there
      }
    }
  }

  /** @return connection settings for the running server: its socket folder, the password */
  public DatabaseConfig config() {
    return new DatabaseConfig(socketDir.toString(), PORT, "postgres", "postgres", password, "disable");
  }

  @Override
  public void close() {
    closing = true;
    supervisor.shutdownNow();
    Process p;
    synchronized (this) {
      p = process;
    }
    postmaster.stop(p);
  }
}
