package io.frontdesk.proxy;

import io.frontdesk.upstream.CompiledTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Keep-alive connections to targets, owned by one event loop: an exchange takes a connection from
 * its own loop's pool, so client and upstream channels share a thread and nothing is locked. The
 * pool owns its idle connections: anything one sends closes it, and its close forgets it.
 *
 * <p>At most {@code maxPerTarget} connections to one target are open from this loop (connecting,
 * busy or idle). A request beyond them waits, first come first served, for one to be released (it
 * then goes straight to the waiter) or closed (a new one is opened for the waiter); a waiter not
 * served within its connect timeout fails with {@link PoolTimeoutException}, which is the pool's
 * limit, not the target's fault. With 10,000 clients this held ~1,000 connections to a target where
 * opening one per request in flight had reached ~9,000, closing and reopening them as load swayed
 * (kept open instead, they ran the node out of file descriptors).
 */
final class UpstreamPool implements UpstreamConnection.Owner {

  /** No connection to the target came free in time: this pool's limit, not a target failure. */
  static final class PoolTimeoutException extends Exception {
    PoolTimeoutException(String message) {
      super(message, null, false, false);
    }
  }

  /** A request waiting for a connection. */
  private record Waiter(CompiledTarget target, int connectTimeoutMillis, BiConsumer<UpstreamConnection, Throwable> done,
      long deadlineNanos) {
  }

  /** This loop's connections to one target. */
  private static final class TargetPool {
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Connecting, busy and idle. */
    int open;
  }

  private static final long WAITER_CHECK_MILLIS = 100;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final long idleTimeoutNanos;
  private final int maxPerTarget;
  private final Map<String, TargetPool> targets = new HashMap<>();
  private int open;
  private boolean waiterCheckScheduled;

  UpstreamPool(EventLoop loop, ChannelFactory<? extends Channel> channelFactory,
      AddressResolverGroup<? extends SocketAddress> resolver, long idleTimeoutMillis, int maxPerTarget) {
    this.loop = loop;
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    this.maxPerTarget = maxPerTarget;
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(channelFactory)
        .resolver(resolver)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.AUTO_READ, true);
    long sweepMillis = Math.max(1000, Math.min(10_000, idleTimeoutMillis / 2));
    loop.scheduleAtFixedRate(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Hands an idle connection to {@code target}, opens one, or queues the request until one comes
   * free. {@code done} runs on this loop with the connection or the failure ({@code
   * ConnectTimeoutException} for a connect timeout, {@link PoolTimeoutException} when none came
   * free in time).
   */
  void acquire(CompiledTarget target, int connectTimeoutMillis, BiConsumer<UpstreamConnection, Throwable> done) {
    TargetPool p = targets.computeIfAbsent(target.address(), k -> new TargetPool());
    UpstreamConnection c;
    while ((c = p.idle.pollLast()) != null) {
      if (c.channel().isActive()) {
        done.accept(c, null);
        return;
      }
    }
    if (p.open < maxPerTarget) {
      connect(p, target, connectTimeoutMillis, done);
      return;
    }
    p.waiters.addLast(new Waiter(target, connectTimeoutMillis, done,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis)));
    if (!waiterCheckScheduled) {
      waiterCheckScheduled = true;
      loop.schedule(this::expireWaiters, WAITER_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void connect(TargetPool p, CompiledTarget target, int connectTimeoutMillis,
      BiConsumer<UpstreamConnection, Throwable> done) {
    p.open++;
    open++;
    UpstreamConnection conn = new UpstreamConnection(this, target.address());
    ChannelFuture f = bootstrap.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(8192).setMaxHeaderSize(65536).setMaxChunkSize(65536), false, false));
            ch.pipeline().addLast("upstream", conn);
          }
        })
        .connect(target.socketAddress());
    f.addListener(r -> {
      if (r.isSuccess()) {
        f.channel().closeFuture().addListener(x -> {
          if (conn.pooled) {
            gone(p);
          }
        });
        done.accept(conn, null);
      } else {
        gone(p);
        done.accept(null, r.cause());
      }
    });
  }

  /** A connection of {@code p} closed (or never opened): a waiter gets a new one. */
  private void gone(TargetPool p) {
    p.open--;
    open--;
    Waiter w = p.waiters.pollFirst();
    if (w != null) {
      connect(p, w.target(), w.connectTimeoutMillis(), w.done());
    }
  }

  /**
   * A connection leaves the pool for good (it became one end of a tunnel, which may last hours):
   * its place goes to a waiter at once.
   */
  void leave(UpstreamConnection c) {
    TargetPool p = targets.get(c.key());
    if (c.pooled && p != null) {
      c.pooled = false;
      gone(p);
    }
  }

  /** Returns a connection whose exchange finished cleanly: to the first waiter, else kept for reuse. */
  void release(UpstreamConnection c) {
    c.detach();
    if (!c.channel().isActive()) {
      return; // its close hands the place to a waiter
    }
    TargetPool p = targets.get(c.key());
    Waiter w = p == null ? null : p.waiters.pollFirst();
    if (w != null) {
      w.done().accept(c, null);
      return;
    }
    c.idleSinceNanos = System.nanoTime();
    p.idle.addLast(c);
  }

  /** Waiters past their deadline fail; checked every 100 ms while any wait (no timer per request). */
  private void expireWaiters() {
    waiterCheckScheduled = false;
    long now = System.nanoTime();
    boolean waiting = false;
    for (TargetPool p : targets.values()) {
      Waiter w;
      while ((w = p.waiters.peekFirst()) != null && now - w.deadlineNanos() >= 0) {
        p.waiters.pollFirst();
        w.done().accept(null, new PoolTimeoutException("had no free connection within " + w.connectTimeoutMillis()
            + " ms (" + maxPerTarget + " per event loop are open; --upstream-connections)"));
      }
      waiting |= !p.waiters.isEmpty();
    }
    if (waiting) {
      waiterCheckScheduled = true;
      loop.schedule(this::expireWaiters, WAITER_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Nothing may arrive on an idle connection: drop it, and the connection. */
  @Override
  public void message(UpstreamConnection c, Object msg) {
    ReferenceCountUtil.release(msg);
    c.channel().close();
  }

  @Override
  public void readComplete(UpstreamConnection c) {
  }

  @Override
  public void writabilityChanged(UpstreamConnection c, boolean writable) {
  }

  /** An idle connection was closed by its peer: forget it. */
  @Override
  public void closed(UpstreamConnection c, Throwable cause) {
    TargetPool p = targets.get(c.key());
    if (p != null) {
      p.idle.remove(c);
    }
  }

  /** @return connections open from this loop (connecting, busy and idle) */
  int openConnections() {
    return open;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (TargetPool p : targets.values()) {
      // Oldest first: stop at the first connection still within its idle time.
      Iterator<UpstreamConnection> it = p.idle.iterator();
      while (it.hasNext()) {
        UpstreamConnection c = it.next();
        if (now - c.idleSinceNanos < idleTimeoutNanos) {
          break;
        }
        it.remove();
        c.channel().close();
      }
    }
    targets.values().removeIf(p -> p.open == 0 && p.waiters.isEmpty());
  }

  /** Closes every idle connection (shutdown). Must run on this loop. */
  void closeIdle() {
    targets.values().forEach(p -> p.idle.forEach(c -> c.channel().close()));
  }

  EventLoop loop() {
    return loop;
  }
}
