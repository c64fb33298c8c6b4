package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.proxy.ExchangeView;
import io.frontdesk.routing.ConfigSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.spi.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ThreadFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds access-log records to the log-sink plugins bound in the configuration. Each sink has a
 * bounded queue and a thread of its own (a one-thread event loop with a Vert.x context on it,
 * outside the proxy's event-loop group): a slow, failing or even blocking sink loses records
 * (counted) and never slows traffic. Sinks live across configuration changes while their
 * binding, configuration and plugin stay the same.
 */
public final class LogSinks {

  private static final Logger log = LoggerFactory.getLogger(LogSinks.class);
  static final int QUEUE_CAPACITY = 10_000;
  private static final int CREATE_TIMEOUT_SECONDS = 10;
  private static final int CLOSE_TIMEOUT_SECONDS = 5;


  private record Key(String bindingId, String config, LogSinkFactory factory) {
  }

  /** One running sink with its queue and counters. */
  static final class Runner {
    volatile PluginBinding binding;
    final LogSink sink;
    final Context context;
    final EventLoopGroup thread;
    final ArrayBlockingQueue<AccessLogRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    final AtomicBoolean scheduled = new AtomicBoolean();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder failed = new LongAdder();

    Runner(PluginBinding binding, LogSink sink, Context context, EventLoopGroup thread) {
      this.binding = binding;
      this.sink = sink;
      this.context = context;
      this.thread = thread;
    }

    boolean wants(ExchangeView ex) {
      PluginBinding b = binding;
      return switch (b.scope()) {
        case GLOBAL -> true;
        case SITE -> ex.route() != null && b.siteId().equals(ex.route().site().site().id());
        case ROUTE -> ex.route() != null && b.routeId().equals(ex.route().route().id());
      };
    }

    void offer(AccessLogRecord r) {
      if (!queue.offer(r)) {
        dropped.increment();
        return;
      }
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> drain());
      }
    }

    private void drain() {
      scheduled.set(false);
      AccessLogRecord r;
      int n = 0;
      while ((r = queue.poll()) != null) {
        try {
          sink.accept(r);
          delivered.increment();
        } catch (RuntimeException | LinkageError e) {
          failed.increment();
          if (failed.sum() == 1 || failed.sum() % 1000 == 0) {
            log.warn("log sink of plugin '{}' failed ({} times so far)", binding.pluginId(), failed.sum(), e);
          }
        }
        if (++n == 512 && !queue.isEmpty()) {
          // Yield the context now and then; the rest follows.
          if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
          }
          return;
        }
      }
    }
  }

  private final Vertx vertx;
  private final PluginCatalog plugins;
  private final io.vertx.core.WorkerExecutor worker;
  private final java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
  private volatile Map<Key, Runner> runners = Map.of();
  private volatile List<Runner> active = List.of();

  public LogSinks(Vertx vertx, PluginCatalog plugins) {
    this.vertx = vertx;
    this.plugins = plugins;
    this.worker = vertx.createSharedWorkerExecutor("frontdesk-log-sinks", 1);
  }

  /** Applies a new snapshot on a worker thread (sink factories may open files or sockets). */
  public void applyLater(ConfigSnapshot snapshot) {
    worker.executeBlocking(() -> {
      apply(snapshot);
      return null;
    }, true);
  }

  /** @return whether any sink is running (else records need not be built for sinks) */
  public boolean isEmpty() {
    return active.isEmpty();
  }

  /** @return whether a sink for this binding is running */
  public boolean isRunning(String bindingId) {
    for (Runner r : active) {
      if (r.binding.id().equals(bindingId)) {
        return true;
      }
    }
    return false;
  }

  /** Called on every exchange's loop with its record. */
  public void offer(ExchangeView ex, AccessLogRecord record) {
    List<Runner> rs = active;
    for (int i = 0, n = rs.size(); i < n; i++) {
      Runner r = rs.get(i);
      if (r.wants(ex)) {
        r.offer(record);
      }
    }
  }

  /** Brings the running sinks in line with a new snapshot (off the event loop). */
  public synchronized void apply(ConfigSnapshot snapshot) {
    Map<Key, Runner> next = new HashMap<>();
    for (PluginBinding b : snapshot.logSinks()) {
      LogSinkFactory f = plugins.logSinkFactory(b.pluginId());
      if (f == null) {
        continue; // plugin absent: its records are not kept for it
      }
      Key k = new Key(b.id(), b.config().encode(), f);
      Runner r = runners.get(k);
      if (r == null) {
        EventLoopGroup thread = ownThread(b.pluginId());
        try {
          // Not createEventLoopContext(): that picks one of the proxy's event loops.
          Context ctx = ((VertxInternal) vertx).contextBuilder().withEventLoop(thread.next()).build();
          r = new Runner(b, createOn(ctx, f, b), ctx, thread);
          log.info("log sink of plugin '{}' started ({} binding {})", b.pluginId(), b.scope().json(), b.id());
        } catch (RuntimeException | LinkageError | InterruptedException e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          log.error("log sink of plugin '{}' could not start: {}", b.pluginId(), e.toString());
          thread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
          continue;
        }
      } else {
        r.binding = b; // same sink; the scope's target may have changed
      }
      next.put(k, r);
    }
    for (Map.Entry<Key, Runner> e : runners.entrySet()) {
      if (!next.containsKey(e.getKey())) {
        close(e.getValue());
      }
    }
    runners = Map.copyOf(next);
    active = List.copyOf(new ArrayList<>(next.values()));
  }

  /** A one-thread event loop of the same transport as the proxy's (so Vert.x clients work on it). */
  private EventLoopGroup ownThread(String pluginId) {
    VertxInternal vx = (VertxInternal) vertx;
    String name = "frontdesk-log-sink-" + pluginId + "-" + threads.incrementAndGet();
    ThreadFactory factory = task -> {
      Thread t = VertxThreadFactory.INSTANCE.newVertxThread(task, name, false, 2, TimeUnit.SECONDS);
      t.setDaemon(true);
      return t;
    };
    return vx.transport().eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1, factory, 50);
  }

  /**
   * Creates the sink on its own context, so the timers and clients it makes call back on the same
   * thread as {@code accept} (the sink needs no locks). Called off the event loop; waits.
   */
  private LogSink createOn(Context ctx, LogSinkFactory f, PluginBinding b) throws InterruptedException {
    CompletableFuture<LogSink> made = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        made.complete(f.create(b.config().copy(), plugins.context(b.pluginId())));
      } catch (RuntimeException | LinkageError e) {
        made.completeExceptionally(e);
      }
    });
    try {
      return made.get(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating the sink took longer than " + CREATE_TIMEOUT_SECONDS + " s");
    }
  }

  private static Future<Void> close(Runner r) {
    Promise<Void> closed = Promise.promise();
    r.context.runOnContext(v -> {
      r.drain();
      Future<Void> f;
      try {
        f = r.sink.close();
      } catch (RuntimeException | LinkageError e) {
        f = Future.failedFuture(e);
      }
      f.onFailure(t -> log.warn("closing the log sink of plugin '{}' failed: {}", r.binding.pluginId(), t.toString()))
          .onComplete(ar -> closed.tryComplete());
    });
    // The thread goes once the sink has closed, or after the wait for it (a sink stuck for good).
    Future<Void> done = closed.future();
    r.context.owner().setTimer(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS), id -> closed.tryComplete());
    return done.onComplete(ar -> r.thread.shutdownGracefully(0, 1, TimeUnit.SECONDS));
  }

  /** Counters by plugin id: delivered, dropped (queue full or given up by the sink), failed (sink threw). */
  public Map<String, long[]> counters() {
    Map<String, long[]> out = new HashMap<>();
    for (Runner r : active) {
      long[] c = out.computeIfAbsent(r.binding.pluginId(), k -> new long[3]);
      c[0] += r.delivered.sum();
      c[1] += r.dropped.sum() + sinkDropped(r);
      c[2] += r.failed.sum();
    }
    return out;
  }

  private static long sinkDropped(Runner r) {
    try {
      return r.sink.dropped();
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /** Flushes and closes every sink (shutdown), waiting up to a few seconds for them. */
  public synchronized void closeAll() {
    List<Future<Void>> closing = runners.values().stream().map(LogSinks::close).toList();
    runners = Map.of();
    active = List.of();
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("not every log sink closed in time: {}", e.toString());
    }
  }
}
