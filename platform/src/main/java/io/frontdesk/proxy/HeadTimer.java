package io.frontdesk.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP/1 decoder and tells the connection that bytes arrived, so the header timeout
 * counts from the first byte of a request head (the decoder only speaks once the head is whole),
 * and which request's chunk-size line the decoder would have read too kindly ({@link ChunkLines}).
 */
final class HeadTimer extends ChannelInboundHandlerAdapter {

  private final ClientConnection connection;
  private final ChunkLines chunkLines = new ChunkLines();

  HeadTimer(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    connection.bytesArrived();
    if (msg instanceof io.netty.buffer.ByteBuf buf) {
      int broken = chunkLines.feed(buf);
      if (broken != 0) {
        connection.chunkLineBroken(broken);
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public boolean isSharable() {
    return false;
  }
}
