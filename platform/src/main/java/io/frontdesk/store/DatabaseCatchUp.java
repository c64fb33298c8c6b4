package io.frontdesk.store;

import io.frontdesk.db.DatabaseConfig;
import io.frontdesk.db.Migrations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a start without the database: tries it in the background (backing off), and once it
 * answers runs the migrations, then {@code resumed} (listen, reload, the rest of the start-up).
 */
public final class DatabaseCatchUp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseCatchUp.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(15);

  private final DatabaseConfig database;
  private final Runnable resumed;
  private final Thread thread;
  private volatile boolean closed;

  public DatabaseCatchUp(DatabaseConfig database, Runnable resumed) {
    this.database = database;
    this.resumed = resumed;
    this.thread = new Thread(this::run, "database-catch-up");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    long pause = FIRST_RETRY.toMillis();
    while (!closed) {
      try {
        Migrations.migrate(database, Duration.ofSeconds(1));
        break;
      } catch (RuntimeException e) {
        log.debug("database still unreachable: {}", e.getMessage());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, MAX_RETRY.toMillis());
    }
    if (closed) {
      return;
    }
    log.info("the database {} is back: catching up with its configuration", database.describe());
    try {
      resumed.run();
    } catch (RuntimeException e) {
      log.error("catching up with the database failed: {}", e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
