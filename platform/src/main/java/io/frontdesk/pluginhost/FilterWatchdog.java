package io.frontdesk.pluginhost;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds filters that hold their event loop (block, sleep, loop): every filter call marks itself in
 * its thread's {@link Slot} (two ordered writes, no allocation, no clock); a thread of its own looks
 * at every slot a few times a second. A call still running past the threshold is logged with the
 * plugin, binding and the thread's stack, counted ({@code frontdesk_plugin_stalls_total}), and its
 * binding's {@link FilterGuard} is tripped, so new exchanges stop running it until an operator
 * resets it. The filter already running cannot be stopped — Java offers no safe way — but it no
 * longer takes further connections down with it.
 */
public final class FilterWatchdog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FilterWatchdog.class);

  /** One thread's "which filter runs now". Written only by its thread, read by the watchdog. */
  public static final class Slot {
    /** For guards without a watchdog: enter and exit do nothing that anyone reads. */
    static final Slot IDLE = new Slot(null);
    private static final VarHandle RUNNING;
    private static final VarHandle ENTERS;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        RUNNING = l.findVarHandle(Slot.class, "running", BoundFilter.class);
        ENTERS = l.findVarHandle(Slot.class, "enters", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Thread thread;
    @SuppressWarnings("unused") // through RUNNING
    private BoundFilter running;
    @SuppressWarnings("unused") // through ENTERS
    private long enters;
    // The watchdog's own notes (its thread only).
    private long seenEnters = -1;
    private long seenSinceNanos;
    private boolean reported;

    Slot(Thread thread) {
      this.thread = thread;
    }

    void enter(BoundFilter f) {
      if (this == IDLE) {
        return;
      }
      ENTERS.setOpaque(this, (long) ENTERS.getOpaque(this) + 1);
      RUNNING.setRelease(this, f);
    }

    /** The filter call returned (or threw). */
    public void exit() {
      if (this != IDLE) {
        RUNNING.setRelease(this, (BoundFilter) null);
      }
    }

    BoundFilter running() {
      return (BoundFilter) RUNNING.getAcquire(this);
    }

    long enters() {
      return (long) ENTERS.getOpaque(this);
    }
  }

  private final long thresholdNanos;
  private final long periodMillis;
  private final Function<String, FilterStats> stats;
  private final Map<String, FilterGuard> guards = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final FastThreadLocal<Slot> local = new FastThreadLocal<>() {
    @Override
    protected Slot initialValue() {
      Slot s = new Slot(Thread.currentThread());
      slots.add(s);
      return s;
    }
  };
  private volatile Thread thread;

  /**
   * @param thresholdMillis a filter call running longer than this is a stall
   * @param stats a plugin's counters (the stall count lives there)
   */
  public FilterWatchdog(long thresholdMillis, Function<String, FilterStats> stats) {
    this.thresholdNanos = thresholdMillis * 1_000_000L;
    this.periodMillis = Math.max(20, Math.min(250, thresholdMillis / 4));
    this.stats = stats;
  }

  /**
   * @param filter the binding's filter instance: the guard lives as long as it (a binding disabled
   *     and enabled again, edited or upgraded gets a new instance, and so an untripped guard)
   * @return the guard of {@code bindingId}'s current filter
   */
  public FilterGuard guard(String pluginId, String bindingId, Object filter) {
    return guards.compute(bindingId, (id, g) -> g != null && g.guards(filter) ? g
        : new FilterGuard(this, pluginId, id, filter));
  }

  /** @return the guard of a binding, or {@code null} when it never ran here */
  public FilterGuard existingGuard(String bindingId) {
    return guards.get(bindingId);
  }

  Slot enter(BoundFilter f) {
    Slot s = local.get();
    s.enter(f);
    return s;
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread = new Thread(this::run, "frontdesk-filter-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
      try {
        check(System.nanoTime());
      } catch (RuntimeException e) {
        log.warn("the filter watchdog's check failed", e);
      }
    }
  }

  /** One look at every slot (package-private for tests). */
  void check(long now) {
    for (Slot s : slots) {
      if (!s.thread.isAlive()) {
        slots.remove(s);
        continue;
      }
      BoundFilter f = s.running();
      long e = s.enters();
      if (f == null) {
        s.seenEnters = -1;
        continue;
      }
      if (e != s.seenEnters) { // a call the watchdog has not seen yet
        s.seenEnters = e;
        s.seenSinceNanos = now;
        s.reported = false;
        continue;
      }
      if (!s.reported && now - s.seenSinceNanos >= thresholdNanos && s.running() == f) {
        s.reported = true;
        stalled(s, f, (now - s.seenSinceNanos) / 1_000_000L);
      }
    }
  }

  private void stalled(Slot s, BoundFilter f, long heldMillis) {
    stats.apply(f.pluginId()).stalled();
    FilterGuard g = f.guard();
    g.trip("its filter held event loop " + s.thread.getName() + " for more than " + heldMillis
        + " ms; reset with POST /api/v1/plugins/" + f.pluginId() + "/bindings/" + f.bindingId() + "/reset");
    Throwable where = new Throwable("stack of " + s.thread.getName() + " while plugin '" + f.pluginId() + "' ran");
    where.setStackTrace(s.thread.getStackTrace());
    log.warn("plugin '{}' (binding {}) has held event loop {} for {} ms: every connection on that loop waits. "
        + "New requests now treat the binding as unavailable ({}) until it is reset", f.pluginId(), f.bindingId(),
        s.thread.getName(), heldMillis, f.failOpen() ? "skipped: fail-open" : "503", where);
  }

  @Override
  public synchronized void close() {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
    }
  }
}
