package io.frontdesk.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive connection to a target, owned by one exchange at a time or idle in its loop's
 * {@link UpstreamPool}. Passes what the target sends to the owning exchange.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  /** Read-blocking reasons (bits): the client cannot take more, or a filter is deciding. */
  static final int BLOCK_CLIENT_BACKPRESSURE = 1;
  static final int BLOCK_RESPONSE_FILTERS = 2;

  private final UpstreamPool pool;
  private final String key;
  private Channel channel;
  private ProxyExchange owner;
  private ReadSwitch reads;
  private int uses;
  long idleSinceNanos;

  UpstreamConnection(UpstreamPool pool, String key) {
    this.pool = pool;
    this.key = key;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    reads = new ReadSwitch(channel);
  }

  Channel channel() {
    return channel;
  }

  String key() {
    return key;
  }

  /** @return whether this connection served a request before (so it may have gone stale) */
  boolean reused() {
    return uses > 1;
  }

  void attach(ProxyExchange exchange) {
    owner = exchange;
    uses++;
    reads.reset();
  }

  void detach() {
    owner = null;
    reads.reset(); // notice the peer closing while idle
  }

  void blockRead(int reason) {
    reads.block(reason);
  }

  void unblockRead(int reason) {
    reads.unblock(reason, true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ProxyExchange o = owner;
    if (o != null) {
      o.onUpstreamMessage(this, msg);
    } else {
      ReferenceCountUtil.release(msg); // nothing may arrive on an idle connection: drop it
      ctx.close();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ProxyExchange o = owner;
    if (o != null) {
      o.onUpstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ProxyExchange o = owner;
    if (o != null) {
      o.onUpstreamWritabilityChanged(ctx.channel().isWritable());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ProxyExchange o = owner;
    if (o != null) {
      o.onUpstreamClosed(this, null);
    } else {
      pool.forget(this);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ProxyExchange o = owner;
    ctx.close();
    if (o != null) {
      o.onUpstreamClosed(this, cause);
    }
  }
}
