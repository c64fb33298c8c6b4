package io.frontdesk.routing;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the snapshot new exchanges use. A swap is one volatile write; the previous snapshot is
 * retired and released once the exchanges that started on it have finished.
 */
public final class SnapshotHolder {

  private static final Logger log = LoggerFactory.getLogger(SnapshotHolder.class);
  /** How long a retired snapshot is kept at least: covers an exchange that read it just before the swap. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final Vertx vertx;
  private final List<ConfigSnapshot> retired = new ArrayList<>();
  private final List<Consumer<ConfigSnapshot>> listeners = new ArrayList<>();
  private volatile ConfigSnapshot current;
  private long timerId = -1;

  public SnapshotHolder(Vertx vertx, ConfigSnapshot initial) {
    this.vertx = vertx;
    this.current = initial;
  }

  public ConfigSnapshot current() {
    return current;
  }

  /** Registers a callback run after each swap with the new snapshot. */
  public synchronized void onSwap(Consumer<ConfigSnapshot> listener) {
    listeners.add(listener);
  }

  public synchronized void swap(ConfigSnapshot next) {
    ConfigSnapshot old = current;
    current = next;
    if (old != null && old != next) {
      old.retire(System.nanoTime());
      retired.add(old);
      if (timerId < 0) {
        timerId = vertx.setPeriodic(100, id -> reap());
      }
    }
    for (Consumer<ConfigSnapshot> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        log.warn("snapshot listener failed", e);
      }
    }
  }

  private synchronized void reap() {
    long now = System.nanoTime();
    retired.removeIf(s -> {
      if (now - s.retiredAtNanos() >= GRACE_NANOS && s.inFlight() == 0) {
        try {
          s.drained();
        } catch (RuntimeException e) {
          log.warn("releasing snapshot {} failed", s.version(), e);
        }
        return true;
      }
      return false;
    });
    if (retired.isEmpty()) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** @return the oldest plugin generation a live (current or not yet drained) snapshot was built with */
  public synchronized long oldestPluginGeneration() {
    long oldest = current.pluginGeneration();
    for (ConfigSnapshot s : retired) {
      oldest = Math.min(oldest, s.pluginGeneration());
    }
    return oldest;
  }

  /** Releases every snapshot, the current one too (at shutdown, after traffic has stopped). */
  public synchronized void closeAll() {
    retired.forEach(ConfigSnapshot::drained);
    retired.clear();
    current.drained();
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
