package io.frontdesk.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Relays raw bytes one way after a protocol upgrade (WebSocket): what arrives on this channel is
 * written to the peer, and reading pauses while the peer cannot take more. One instance sits on
 * each side.
 */
final class Tunnel extends ChannelInboundHandlerAdapter {

  private final Channel peer;
  private final AtomicBoolean closed;
  private final Runnable onClose;

  Tunnel(Channel peer, AtomicBoolean closed, Runnable onClose) {
    this.peer = peer;
    this.closed = closed;
    this.onClose = onClose;
  }

  /**
   * After a 101: both pipelines lose their HTTP handlers and get a tunnel each (and an idle timer);
   * {@code onClose} runs once, when the first side closes.
   *
   * @param clientHandler the client connection's HTTP handler, replaced by the tunnel
   */
  static void splice(Channel client, ChannelHandler clientHandler, Channel upstream, long idleTimeoutMillis,
      Runnable onClose) {
    AtomicBoolean closed = new AtomicBoolean();
    ChannelPipeline up = upstream.pipeline();
    up.replace("upstream", "tunnel", new Tunnel(client, closed, onClose));
    up.remove("codec");
    up.addFirst("idle", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));

    ChannelPipeline p = client.pipeline();
    if (p.get(HeadTimer.class) != null) {
      p.remove(HeadTimer.class);
    }
    p.replace(clientHandler, "tunnel", new Tunnel(upstream, closed, onClose));
    if (p.get(HttpServerUpgradeHandler.class) != null) {
      p.remove(HttpServerUpgradeHandler.class);
    }
    if (p.get(HttpServerCodec.class) != null) {
      p.remove(HttpServerCodec.class);
    }
    p.addFirst("idle", new IdleStateHandler(0, 0, idleTimeoutMillis, TimeUnit.MILLISECONDS));
    client.config().setAutoRead(true);
    upstream.config().setAutoRead(true);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peer.write(msg);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    if (closed.compareAndSet(false, true)) {
      onClose.run();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
