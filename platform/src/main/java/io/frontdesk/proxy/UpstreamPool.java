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
 */
final class UpstreamPool implements UpstreamConnection.Owner {

  /** Idle connections kept per target and loop; more are closed when released. */
  private static final int MAX_IDLE_PER_TARGET = 512;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final long idleTimeoutNanos;
  private final Map<String, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
  private int open;

  UpstreamPool(EventLoop loop, ChannelFactory<? extends Channel> channelFactory,
      AddressResolverGroup<? extends SocketAddress> resolver, long idleTimeoutMillis) {
    this.loop = loop;
    this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
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
   * Hands an idle connection to {@code target}, or opens one. {@code done} runs on this loop with
   * the connection or the failure (then {@code ConnectTimeoutException} for a timeout).
   */
  void acquire(CompiledTarget target, int connectTimeoutMillis, BiConsumer<UpstreamConnection, Throwable> done) {
    ArrayDeque<UpstreamConnection> q = idle.get(target.address());
    if (q != null) {
      UpstreamConnection c;
      while ((c = q.pollLast()) != null) {
        if (c.channel().isActive()) {
          done.accept(c, null);
          return;
        }
      }
    }
    String key = target.address();
    UpstreamConnection conn = new UpstreamConnection(this, key);
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
        open++;
        f.channel().closeFuture().addListener(x -> open--);
        done.accept(conn, null);
      } else {
        done.accept(null, r.cause());
      }
    });
  }

  /** Returns a connection whose exchange finished cleanly; it is kept for reuse or closed. */
  void release(UpstreamConnection c) {
    c.detach();
    if (!c.channel().isActive()) {
      return;
    }
    ArrayDeque<UpstreamConnection> q = idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
    if (q.size() >= MAX_IDLE_PER_TARGET) {
      c.channel().close();
      return;
    }
    c.idleSinceNanos = System.nanoTime();
    q.addLast(c);
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
    ArrayDeque<UpstreamConnection> q = idle.get(c.key());
    if (q != null) {
      q.remove(c);
    }
  }

  /** @return connections open from this loop (idle and busy) */
  int openConnections() {
    return open;
  }

  private void sweep() {
    long now = System.nanoTime();
    for (ArrayDeque<UpstreamConnection> q : idle.values()) {
      // Oldest first: stop at the first connection still within its idle time.
      Iterator<UpstreamConnection> it = q.iterator();
      while (it.hasNext()) {
        UpstreamConnection c = it.next();
        if (now - c.idleSinceNanos < idleTimeoutNanos) {
          break;
        }
        it.remove();
        c.channel().close();
      }
    }
    idle.values().removeIf(ArrayDeque::isEmpty);
  }

  /** Closes every idle connection (shutdown). Must run on this loop. */
  void closeIdle() {
    idle.values().forEach(q -> q.forEach(c -> c.channel().close()));
    idle.clear();
  }

  EventLoop loop() {
    return loop;
  }

}
