package io.frontdesk.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;

/**
 * RFC 9113 5.1.1 for one connection: a HEADERS frame that would open a stream numbered below one
 * already opened is a connection error PROTOCOL_ERROR. Netty cannot tell such a stream from one that
 * was opened and has closed (it answers STREAM_CLOSED for both), so this remembers the ids of the
 * streams opened last.
 *
 * <p>It sits where Netty lets one see every inbound frame before the connection acts on it: the
 * frame logger ({@code Http2FrameCodecBuilder.frameLogger}). It also logs frames at TRACE on
 * {@code io.frontdesk.proxy.Http2Frames}. An exception thrown here fails the frame like a decoding
 * error, and Netty answers it with GOAWAY.
 */
final class Http2StreamIdCheck extends Http2FrameLogger {

  /** Ids of the streams opened last, oldest first (a ring); enough for every stream that can be open. */
  private final int[] recent;
  private int start;
  private int size;
  private int highest;
  /** The highest id that fell out of {@code recent}: below it, nothing is known. */
  private int forgotten;

  Http2StreamIdCheck(int remembered) {
    super(LogLevel.TRACE, "io.frontdesk.proxy.Http2Frames");
    this.recent = new int[remembered];
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream) {
    check(direction, streamId);
    super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
    check(direction, streamId);
    super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
  }

  private void check(Direction direction, int streamId) {
    if (direction != Direction.INBOUND || streamId == highest) {
      return;
    }
    if (streamId > highest) {
      highest = streamId;
      remember(streamId);
      return;
    }
    if (streamId > forgotten && !remembers(streamId)) {
      throw sneaky(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
          "HEADERS for stream %d, which was never opened, after stream %d", streamId, highest));
    }
  }

  private void remember(int streamId) {
    if (size < recent.length) {
      recent[(start + size++) % recent.length] = streamId;
    } else {
      forgotten = recent[start];
      recent[start] = streamId;
      start = (start + 1) % recent.length;
    }
  }

  private boolean remembers(int streamId) {
    for (int i = 0; i < size; i++) {
      if (recent[(start + i) % recent.length] == streamId) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
