package io.frontdesk.proxy;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts open client connections, in total and per client address, and refuses those over a limit.
 * A connection is counted from its acceptance until it closes.
 */
final class ConnectionLimits {

  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();

  /** @param maxTotal 0 = no limit; @param maxPerClient 0 = no limit */
  ConnectionLimits(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /** @return whether {@code ch} may stay open; if so it is counted until it closes */
  boolean admit(Channel ch) {
    if (open.incrementAndGet() > maxTotal && maxTotal > 0) {
      open.decrementAndGet();
      refused.increment();
      return false;
    }
    InetAddress client = maxPerClient > 0 && ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (client != null && perClient.merge(client, 1, Integer::sum) > maxPerClient) {
      release(client);
      open.decrementAndGet();
      refused.increment();
      return false;
    }
    ch.closeFuture().addListener(f -> {
      open.decrementAndGet();
      if (client != null) {
        release(client);
      }
    });
    return true;
  }

  private void release(InetAddress client) {
    perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }

  int open() {
    return open.get();
  }

  long refused() {
    return refused.sum();
  }
}
