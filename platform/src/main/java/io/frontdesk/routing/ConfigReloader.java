package io.frontdesk.routing;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.store.LastConfigFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's snapshot on the newest configuration: LISTENs for new versions (NOTIFY carries
 * only the number), reloads and compiles off the event loop, and swaps. After a lost connection it
 * reloads in full, since notifications sent meanwhile are gone; a slow poll backs that up. If a
 * version does not compile, the node keeps serving the last good snapshot and reports the error.
 */
public final class ConfigReloader {

  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
  private static final long POLL_MILLIS = 5_000;

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final ConfigStore store;
  private final SnapshotCompiler compiler;
  private final SnapshotHolder holder;
  private final PgConnectOptions connectOptions;
  private final LastConfigFile lastConfig;
  private final long timeoutMillis;
  private final List<Waiter> waiters = new ArrayList<>();
  private PgSubscriber subscriber;
  private ConfigDocument document;
  private boolean reloading;
  private boolean again;
  private boolean recompile;
  private volatile String lastError;
  private volatile boolean databaseReachable = true;
  private long pollTimer = -1;

  private record Waiter(long version, Promise<Void> promise) {
  }

  public ConfigReloader(Vertx vertx, ConfigStore store, SnapshotCompiler compiler, SnapshotHolder holder,
      PgConnectOptions connectOptions) {
    this(vertx, store, compiler, holder, connectOptions, null, java.time.Duration.ofSeconds(30));
  }

  /**
   * @param lastConfig where each applied configuration is saved, or {@code null}
   * @param timeout how long one load and compile may take before it is given up and reported
   */
  public ConfigReloader(Vertx vertx, ConfigStore store, SnapshotCompiler compiler, SnapshotHolder holder,
      PgConnectOptions connectOptions, LastConfigFile lastConfig, java.time.Duration timeout) {
    this.lastConfig = lastConfig;
    this.timeoutMillis = timeout.toMillis();
    this.vertx = vertx;
    this.context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    this.store = store;
    this.compiler = compiler;
    this.holder = holder;
    this.connectOptions = connectOptions;
  }

  /** Loads and applies the current configuration, then starts listening. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(x -> startOnContext().onComplete(started));
    return started.future();
  }

  private Future<Void> startOnContext() {
    return store.load().compose(doc -> context.executeBlocking(() -> compiler.compile(doc)).map(snap -> {
      document = doc;
      holder.swap(snap);
      save(doc);
      return (Void) null;
    })).compose(v -> listen()).onSuccess(v ->
        pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll()));
  }

  /**
   * Starts without the database: serves {@code saved} (the last configuration applied before) and
   * reports the database unreachable until {@link #resume()}.
   */
  public Future<Void> startFrom(ConfigDocument saved) {
    Promise<Void> started = Promise.promise();
    context.runOnContext(x -> context.executeBlocking(() -> compiler.compile(saved)).<Void>map(snap -> {
      document = saved;
      holder.swap(snap);
      databaseReachable = false;
      lastError = "the database was unreachable at start; serving the configuration saved in " + lastConfig.path()
          + " (version " + saved.version() + ")";
      return null;
    }).onComplete(started));
    return started.future();
  }

  /** The database is back after a start without it: listen, poll, and load the newest configuration. */
  public void resume() {
    context.runOnContext(v -> listen().onComplete(ar -> {
      if (pollTimer < 0) {
        pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
      }
      databaseReachable = true;
      lastError = null;
      reload();
    }));
  }

  /** Keeps the applied configuration for a start without the database (in order, off the event loop). */
  private void save(ConfigDocument doc) {
    if (lastConfig == null) {
      return;
    }
    context.executeBlocking(() -> {
      lastConfig.save(doc);
      return null;
    }).onFailure(t -> log.warn("could not save the applied configuration to {}: {}", lastConfig.path(),
        t.getMessage()));
  }

  private Future<Void> listen() {
    subscriber = PgSubscriber.subscriber(vertx, connectOptions);
    subscriber.reconnectPolicy(retries -> {
      databaseReachable = false;
      return Math.min(10_000L, 250L * (1L << Math.min(retries, 6)));
    });
    subscriber.channel(ConfigStore.CHANNEL).handler(payload -> {
      try {
        if (Long.parseLong(payload.trim()) > appliedVersion()) {
          reload();
        }
      } catch (NumberFormatException e) {
        reload();
      }
    }).subscribeHandler(v -> {
      // (Re)subscribed: anything notified while we were away is lost, so reload in full.
      databaseReachable = true;
      reload();
    });
    return subscriber.connect();
  }

  private void poll() {
    store.version().onSuccess(v -> {
      databaseReachable = true;
      if (v > appliedVersion()) {
        reload();
      }
    }).onFailure(t -> databaseReachable = false);
  }

  /** @return the config version this node serves */
  public long appliedVersion() {
    ConfigSnapshot s = holder.current();
    return s == null ? -1 : s.version();
  }

  /** @return the last compile or load error, or {@code null} */
  public String lastError() {
    return lastError;
  }

  public boolean databaseReachable() {
    return databaseReachable;
  }

  /** Plugins changed: rebuild the snapshot from the same configuration. */
  public void pluginsChanged() {
    context.runOnContext(v -> {
      recompile = true;
      reload();
    });
  }

  /** Loads the newest configuration and swaps it in (coalesces concurrent calls). */
  public void reload() {
    context.runOnContext(v -> {
      if (reloading) {
        again = true;
        return;
      }
      reloading = true;
      again = false;
      boolean forceCompile = recompile;
      recompile = false;
      Promise<ConfigSnapshot> bounded = Promise.promise();
      // A load or compile that hangs (a lock in the database, a plugin stuck in its constructor)
      // must not stop every later reload: give up on it, report it, and let the next one run.
      long timer = vertx.setTimer(timeoutMillis, id -> bounded.tryFail(new java.util.concurrent.TimeoutException(
          "loading and compiling the configuration took longer than " + timeoutMillis / 1000.0 + " s")));
      boolean[] fromMemory = {false};
      store.load()
          .recover(t -> {
            databaseReachable = false;
            fromMemory[0] = document != null && forceCompile;
            return fromMemory[0] ? Future.succeededFuture(document) : Future.failedFuture(t);
          })
          .compose(doc -> {
            if (!fromMemory[0]) {
              databaseReachable = true;
            }
            ConfigSnapshot cur = holder.current();
            if (!forceCompile && cur != null && doc.version() <= cur.version()) {
              return Future.succeededFuture((ConfigSnapshot) null);
            }
            // Unordered: a compile that hangs must not queue every later one behind it.
            return context.executeBlocking(() -> compiler.compile(doc), false).map(s -> {
              document = doc;
              return s;
            });
          })
          .onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) {
              bounded.tryFail(ar.cause());
            } else if (!bounded.tryComplete(ar.result()) && ar.result() != null) {
              lateResult(ar.result());
            }
          });
      bounded.future()
          .onComplete(ar -> {
            reloading = false;
            if (ar.succeeded()) {
              if (ar.result() != null) {
                holder.swap(ar.result());
                save(document);
                if (!fromMemory[0]) {
                  lastError = null; // a recompile of the kept document says nothing about the database
                }
                log.info("config version {} applied", ar.result().version());
                ar.result().warnings().forEach(w -> log.warn("config {}: {}", ar.result().version(), w));
              }
              wake();
            } else {
              lastError = String.valueOf(ar.cause().getMessage());
              log.error("could not apply the newest configuration; still serving version {}: {}", appliedVersion(),
                  lastError);
            }
            if (again) {
              reload();
            }
          });
    });
  }

  /** A reload that timed out finished after all: apply it if nothing newer came meanwhile. */
  private void lateResult(ConfigSnapshot snap) {
    ConfigSnapshot cur = holder.current();
    if (cur == null || snap.version() >= cur.version()) {
      holder.swap(snap);
      save(document);
      log.info("config version {} applied (after its reload had timed out)", snap.version());
    }
  }

  /** @return a future completed once this node serves {@code version} or newer (or after {@code maxMillis}) */
  public Future<Void> awaitVersion(long version, long maxMillis) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (appliedVersion() >= version) {
        p.tryComplete();
        return;
      }
      waiters.add(new Waiter(version, p));
      vertx.setTimer(maxMillis, id -> p.tryComplete());
      reload();
    });
    return p.future();
  }

  private void wake() {
    long applied = appliedVersion();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.version() <= applied || w.promise().future().isComplete()) {
        w.promise().tryComplete();
        it.remove();
      }
    }
  }

  /** @return the document the current snapshot was compiled from */
  public ConfigDocument document() {
    return document;
  }

  public Future<Void> stop() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
