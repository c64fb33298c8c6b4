package io.frontdesk.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One keep-alive connection to a target, owned by one attempt at a time or idle in its loop's
 * {@link UpstreamPool} (which is then its owner). Passes what the target sends to its owner.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  /** Read-blocking reasons (bits): the client cannot take more, or a filter is deciding. */
  static final int BLOCK_CLIENT_BACKPRESSURE = 1;
  static final int BLOCK_RESPONSE_FILTERS = 2;

  /** Whoever holds the connection now: an attempt, or the pool while it is idle. */
  interface Owner {
    /** A message from the target (the owner releases it). */
    void message(UpstreamConnection c, Object msg);

    /** A read batch ended. */
    void readComplete(UpstreamConnection c);

    /** The connection can take more writes again, or cannot. */
    void writabilityChanged(UpstreamConnection c, boolean writable);

    /** The connection closed or failed ({@code cause} is {@code null} for a plain close). */
    void closed(UpstreamConnection c, Throwable cause);
  }

  private final UpstreamPool pool;
  private final String key;
  private Channel channel;
  private Owner owner;
  private ReadSwitch reads;
  private int uses;
  long idleSinceNanos;
  /** Whether it takes one of its pool's places (a tunnel's connection does not). */
  boolean pooled = true;

  UpstreamConnection(UpstreamPool pool, String key) {
    this.pool = pool;
    this.key = key;
    this.owner = pool;
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

  void attach(Owner attempt) {
    owner = attempt;
    uses++;
    reads.reset();
  }

  /** Back to the pool's hands (idle, or closing). */
  void detach() {
    owner = pool;
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
    owner.message(this, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    owner.readComplete(this);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    owner.writabilityChanged(this, ctx.channel().isWritable());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.closed(this, null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Owner o = owner;
    ctx.close();
    o.closed(this, cause);
  }
}
