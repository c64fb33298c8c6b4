package io.frontdesk.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the database schema up to date with Flyway (blocking: run it off the event loop). */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  /** How long start-up waits for a database that is not up yet (a compose file starting both). */
  public static final Duration WAIT = Duration.ofSeconds(60);

  private Migrations() {
  }

  /** The server could not be reached (or kept starting up) for the whole wait. */
  public static final class UnreachableException extends IllegalStateException {
    UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** @return the schema version after migrating */
  public static String migrate(DatabaseConfig db) {
    return migrate(db, WAIT);
  }

  /**
   * @param wait how long an unreachable server is waited for
   * @return the schema version after migrating
   * @throws UnreachableException when it stayed unreachable
   */
  public static String migrate(DatabaseConfig db, Duration wait) {
    awaitReachable(db, wait);
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .load();
    MigrateResult r = flyway.migrate();
    return r.targetSchemaVersion != null ? r.targetSchemaVersion : String.valueOf(flyway.info().current().getVersion());
  }

  private static String tlsHint(DatabaseConfig db) {
    return db.sslMode().startsWith("verify") ? " (sslmode=" + db.sslMode() + ": the server's certificate must be "
        + "signed by a CA the JVM trusts or the URL's sslrootcert=, and name the host; sslmode=disable for a "
        + "database without TLS)" : "";
  }

  /**
   * Waits while the server cannot be reached or is still starting; any other error (password,
   * TLS, missing database) fails at once with the server's reason.
   */
  static void awaitReachable(DatabaseConfig db, Duration wait) {
    Properties p = new Properties();
    p.setProperty("user", db.user());
    if (db.password() != null) {
      p.setProperty("password", db.password());
    }
    p.setProperty("connectTimeout", "10");
    long deadline = System.nanoTime() + wait.toNanos();
    long backoff = 250;
    while (true) {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), p)) {
        return;
      } catch (SQLException e) {
        boolean transient_ = "08001".equals(e.getSQLState()) || "57P03".equals(e.getSQLState());
        if (transient_ && System.nanoTime() > deadline) {
          throw new UnreachableException("cannot use the database " + db.describe() + ": " + e.getMessage()
              + tlsHint(db), e);
        }
        if (!transient_) {
          throw new IllegalStateException("cannot use the database " + db.describe() + ": " + e.getMessage()
              + tlsHint(db), e);
        }
        log.info("waiting for the database {} ({})", db.describe(), e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the database", ie);
        }
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }
}
