package io.frontdesk.store;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.routing.SnapshotCompiler;
import io.frontdesk.routing.SnapshotHolder;
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
      return (Void) null;
    })).compose(v -> listen()).onSuccess(v ->
        pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll()));
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
      store.load()
          .recover(t -> {
            databaseReachable = false;
            return document == null || !forceCompile ? Future.failedFuture(t) : Future.succeededFuture(document);
          })
          .compose(doc -> {
            ConfigSnapshot cur = holder.current();
            if (!forceCompile && cur != null && doc.version() <= cur.version()) {
              return Future.succeededFuture((ConfigSnapshot) null);
            }
            return context.executeBlocking(() -> compiler.compile(doc)).map(s -> {
              document = doc;
              return s;
            });
          })
          .onComplete(ar -> {
            reloading = false;
            if (ar.succeeded()) {
              if (ar.result() != null) {
                holder.swap(ar.result());
                lastError = null;
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
