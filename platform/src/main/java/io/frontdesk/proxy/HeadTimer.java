package io.frontdesk.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP/1 decoder and tells the connection that bytes arrived, so the header timeout
 * counts from the first byte of a request head (the decoder only speaks once the head is whole).
 */
final class HeadTimer extends ChannelInboundHandlerAdapter {

  private final ClientConnection connection;

  HeadTimer(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.bytesArrived();
    ctx.fireChannelRead(msg);
  }

  @Override
  public boolean isSharable() {
    return false;
  }
}
