package io.frontdesk.plugins.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a store that stopped answering without flooding the log: one WARN when it goes away, then
 * at most one every ten seconds with how many decisions were made without it, and one INFO when
 * it answers again.
 */
final class StoreFailureLog {

  private static final Logger log = LoggerFactory.getLogger(StoreFailureLog.class);
  private static final long EVERY_NANOS = 10_000_000_000L;

  private final String store;
  private final boolean failOpen;
  private volatile boolean down;
  private long lastLogged;
  private long since;
  private long unlogged;
  private long total;

  /**
   * @param store what the log calls the store, e.g. {@code Redis at redis://10.0.0.5:6379}
   * @param failOpen whether requests pass while it is away
   */
  StoreFailureLog(String store, boolean failOpen) {
    this.store = store;
    this.failOpen = failOpen;
  }

  /** @return what went wrong, in words (some failures carry no message) */
  static String describe(Throwable cause) {
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }

  synchronized void failed(Throwable cause) {
    long now = System.nanoTime();
    total++;
    if (!down) {
      down = true;
      since = now;
      lastLogged = now;
      unlogged = 0;
      log.warn("rate-limit: {} is unreachable ({}); requests are {} until it answers", store, describe(cause),
          failOpen ? "allowed (failure: open)" : "refused with 503 (failure: closed)");
    } else if (now - lastLogged >= EVERY_NANOS) {
      log.warn("rate-limit: {} still unreachable after {} s ({}); {} decisions without it since the last message",
          store, (now - since) / 1_000_000_000L, describe(cause), unlogged + 1);
      lastLogged = now;
      unlogged = 0;
    } else {
      unlogged++;
    }
  }

  void succeeded() {
    if (down) {
      recovered();
    }
  }

  private synchronized void recovered() {
    if (down) {
      down = false;
      log.info("rate-limit: {} answers again after {} s; {} decisions were made without it", store,
          (System.nanoTime() - since) / 1_000_000_000L, total);
      total = 0;
    }
  }

  /** @return whether the store is away as far as the last decision knows */
  boolean down() {
    return down;
  }
}
