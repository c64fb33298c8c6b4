package io.frontdesk.proxy;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * One periodic task per event loop that enforces the time limits of that loop's exchanges (upstream
 * read timeouts, filter deadlines) and connections (keep-alive idle time). Upstream attempts, chain
 * runners and connections sit in intrusive lists, so watching and unwatching cost a few pointer
 * writes, where a Netty timer per request would cost a priority-queue insert and a cancel.
 */
final class LoopSweeper {

  static final long TICK_MILLIS = 100;
  private static final int CONNECTION_TICKS = 10;

  /** Something with a deadline, linked into one of the sweeper's lists. */
  abstract static class Watched {
    Watched prev;
    Watched next;
    boolean linked;

    /** Called on the loop at each sweep; may unlink itself. */
    abstract void sweep(long nowNanos);
  }

  private final Watched exchanges = new Sentinel();
  private final Watched connections = new Sentinel();
  private int tick;

  LoopSweeper(EventLoop loop) {
    loop.scheduleAtFixedRate(this::run, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  void watchExchange(Watched w) {
    link(exchanges, w);
  }

  void watchConnection(Watched w) {
    link(connections, w);
  }

  static void unwatch(Watched w) {
    if (!w.linked) {
      return;
    }
    w.prev.next = w.next;
    w.next.prev = w.prev;
    w.prev = null;
    w.next = null;
    w.linked = false;
  }

  private static void link(Watched list, Watched w) {
    if (w.linked) {
      return;
    }
    w.next = list.next;
    w.prev = list;
    list.next.prev = w;
    list.next = w;
    w.linked = true;
  }

  private void run() {
    long now = System.nanoTime();
    sweepList(exchanges, now);
    if (++tick % CONNECTION_TICKS == 0) {
      sweepList(connections, now);
    }
  }

  private static void sweepList(Watched list, long now) {
    Watched w = list.next;
    while (w != list) {
      Watched next = w.next;
      w.sweep(now);
      if (!next.linked) {
        // The sweep unlinked its neighbour too (an exchange and its upstream attempt end together):
        // go on from w, or from the start when w is gone as well (a second look costs nothing).
        next = w.linked ? w.next : list.next;
      }
      w = next;
    }
  }

  private static final class Sentinel extends Watched {
    Sentinel() {
      prev = this;
      next = this;
      linked = true;
    }

    @Override
    void sweep(long nowNanos) {
    }
  }
}
