package io.frontdesk.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * The stream-state rules of RFC 9113 5.1 and 5.1.1 that Netty gets wrong, mostly because it
 * forgets a stream once closed (it answers RST_STREAM STREAM_CLOSED to any frame for a stream it no
 * longer knows):
 * <ul>
 *   <li>HEADERS on a stream the client has ended (half-closed remote) is a stream error STREAM_CLOSED
 *       (Netty calls it "too many headers", PROTOCOL_ERROR);</li>
 *   <li>HEADERS or DATA on a stream the client had ended (END_STREAM) and that has closed since is
 *       a connection error STREAM_CLOSED (5.1, "closed");</li>
 *   <li>HEADERS for a stream numbered below one already opened, and never opened itself, is a
 *       connection error PROTOCOL_ERROR (5.1.1).</li>
 * </ul>
 * It remembers the streams opened last (id, whether the client ended it, whether either side reset
 * it): below the oldest it remembers, Netty's answer stands.
 *
 * <p>It sits where Netty lets one see every inbound frame before the connection acts on it: the
 * frame logger ({@code Http2FrameCodecBuilder.frameLogger}); it also logs frames at TRACE on
 * {@code io.frontdesk.proxy.Http2Frames}. An exception thrown here fails the frame like a decoding
 * error, and Netty answers it with GOAWAY.
 */
final class Http2StreamRules extends Http2FrameLogger {

  private static final int ENDED = 1;
  private static final int RESET = 2;

  private final int[] ids;
  private final int[] flags;
  private int start;
  private int size;
  private int highest;
  /** The highest id that fell out of the ring: below it, nothing is known. */
  private int forgotten;
  private Http2Connection connection;

  Http2StreamRules(int remembered) {
    super(LogLevel.TRACE, "io.frontdesk.proxy.Http2Frames");
    this.ids = new int[remembered];
    this.flags = new int[remembered];
  }

  /** The connection whose streams are checked (known once the codec is built). */
  void connection(Http2Connection connection) {
    this.connection = connection;
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream) {
    inbound(direction, true, streamId, endStream);
    super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
  }

  @Override
  public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
    inbound(direction, true, streamId, endStream);
    super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
  }

  @Override
  public void logData(Direction direction, ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
      boolean endStream) {
    inbound(direction, false, streamId, endStream);
    super.logData(direction, ctx, streamId, data, padding, endStream);
  }

  @Override
  public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
    int i = find(streamId);
    if (i >= 0) {
      flags[i] |= RESET;
    }
    super.logRstStream(direction, ctx, streamId, errorCode);
  }

  private void inbound(Direction direction, boolean headers, int streamId, boolean endStream) {
    if (direction != Direction.INBOUND || streamId == 0 || connection == null) {
      return;
    }
    Http2Stream open = connection.stream(streamId);
    if (open != null) { // Netty knows its state
      if (headers && open.state() == Http2Stream.State.HALF_CLOSED_REMOTE) {
        // Netty calls this "too many headers", PROTOCOL_ERROR; 5.1 says STREAM_CLOSED.
        throw sneaky(Http2Exception.streamError(streamId, Http2Error.STREAM_CLOSED,
            "HEADERS for stream %d, which the client had ended", streamId));
      }
      if (endStream) {
        int i = find(streamId);
        if (i >= 0) {
          flags[i] |= ENDED;
        }
      }
      return;
    }
    if (headers && streamId > highest) {
      highest = streamId;
      remember(streamId, endStream ? ENDED : 0);
      return;
    }
    int i = find(streamId);
    if (i >= 0) {
      if (flags[i] == ENDED) {
        throw sneaky(Http2Exception.connectionError(Http2Error.STREAM_CLOSED,
            "%s frame for stream %d, which the client had ended", headers ? "HEADERS" : "DATA", streamId));
      }
      return;
    }
    if (headers && streamId > forgotten) {
      throw sneaky(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
          "HEADERS for stream %d, which was never opened, after stream %d", streamId, highest));
    }
  }

  private void remember(int streamId, int flag) {
    int at;
    if (size < ids.length) {
      at = (start + size++) % ids.length;
    } else {
      forgotten = ids[start];
      at = start;
      start = (start + 1) % ids.length;
    }
    ids[at] = streamId;
    flags[at] = flag;
  }

  private int find(int streamId) {
    for (int n = size - 1; n >= 0; n--) { // newest first: the usual case
      int at = (start + n) % ids.length;
      if (ids[at] == streamId) {
        return at;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
