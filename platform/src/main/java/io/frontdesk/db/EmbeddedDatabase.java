package io.frontdesk.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 run by Frontdesk itself when no external database is given: data in
 * {@code <data-dir>/postgres}, binaries unpacked once into {@code <data-dir>/postgres-bin}, bound to
 * 127.0.0.1 only, with fsync and synchronous commit on so committed config and logs survive a crash.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on the locked data directory.
   *
   * @throws IllegalStateException with what went wrong and what to do
   */
  public static EmbeddedDatabase start(DataDirectory dataDir) {
    Path pgData = dataDir.path().resolve("postgres");
    Path binaries = dataDir.path().resolve("postgres-bin");
    stopOrphanedPostmaster(pgData);
    try {
      Files.createDirectories(binaries);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(binaries.toFile())
          // zonky's defaults suit throw-away test databases; an operator's data must survive a crash.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("max_connections", "100")
          // The access log writes all day: fewer checkpoints mean fewer full-page images in the WAL.
          .setServerConfig("shared_buffers", "256MB")
          .setServerConfig("max_wal_size", "2GB")
          .setServerConfig("checkpoint_timeout", "15min")
          .setServerConfig("work_mem", "16MB")
          .setPGStartupWait(Duration.ofSeconds(60))
          // Frontdesk stops it itself, last, after requests have drained and the access log is
          // written; zonky's own hook would stop it at once, in parallel with the drain.
          .setRegisterShutdownHook(false)
          .start();
      return new EmbeddedDatabase(pg);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the embedded PostgreSQL did not start (" + e.getMessage() + "). "
          + "It needs a writable data directory and, when run as root, user namespaces (unshare -U); "
          + "in containers use an external PostgreSQL with FRONTDESK_DB_URL.", e);
    }
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
      h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("PostgreSQL (pid {}) did not stop in 30 s; killing it (it recovers from its WAL at start)", pid);
      h.destroyForcibly();
      try {
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // start() reports the lock if it is still there
      }
    }
  }

  /** @return connection settings for the running server */
  public DatabaseConfig config() {
    return new DatabaseConfig("127.0.0.1", postgres.getPort(), "postgres", "postgres", "postgres", "disable");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("stopping the embedded PostgreSQL failed", e);
    }
  }
}
