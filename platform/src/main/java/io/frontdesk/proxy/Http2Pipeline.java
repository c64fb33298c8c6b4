package io.frontdesk.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 part of a client connection's pipeline (h2c by upgrade or prior knowledge, h2 over TLS):
 *
 * <pre>
 * Http2FrameCodec (+ Http2StreamRules) → idle timer → Http2MultiplexHandler → Http2ConnectionTail
 *   per stream: Http2RequestValidator → Http2StreamFrameToHttpObjectCodec → ClientConnection
 * </pre>
 *
 * Each stream becomes one exchange with its own upstream connection, so the concurrent-stream limit
 * also bounds the upstream connections one client connection can hold.
 */
final class Http2Pipeline {

  private static final Logger log = LoggerFactory.getLogger(Http2Pipeline.class);

  private final ProxyServer server;
  private final Http2Limits limits;
  private final long idleTimeoutMillis;

  Http2Pipeline(ProxyServer server, Http2Limits limits, long idleTimeoutMillis) {
    this.server = server;
    this.limits = limits;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  Http2FrameCodec frameCodec() {
    Http2StreamRules rules = new Http2StreamRules(Math.max(256, 2 * limits.maxConcurrentStreams()));
    Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings()
            .maxConcurrentStreams(limits.maxConcurrentStreams())
            .initialWindowSize(1 << 20)
            .maxHeaderListSize(limits.maxHeaderListSize()))
        .validateHeaders(true)
        // Netty's guard against clients that make the server reset streams (CVE-2025-55163) allows
        // 200 resets per 30 s; a malformed request costs no upstream work, so allow more of them.
        .encoderEnforceMaxRstFramesPerWindow(limits.maxResetsSentPer30s(), 30)
        .frameLogger(rules)
        .gracefulShutdownTimeoutMillis(idleTimeoutMillis)
        .build();
    rules.connection(codec.connection());
    return codec;
  }

  /** The handlers after the frame codec of a connection, put in place by an {@link Http2Switch}. */
  ChannelHandler handlers(LoopResources loop, String scheme) {
    return new Http2Switch(idleTimer(), new Http2MultiplexHandler(streamInitializer(loop, scheme)),
        new Http2ConnectionTail());
  }

  /** HTTP/2 connections: closed (GOAWAY) after this long without a frame from the client. */
  private IdleStateHandler idleTimer() {
    return new IdleStateHandler(idleTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS) {
      @Override
      protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close(); // Http2FrameCodec turns this into GOAWAY + graceful close
      }
    };
  }

  private ChannelInitializer<Http2StreamChannel> streamInitializer(LoopResources loop, String scheme) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline()
            .addLast(new Http2RequestValidator())
            .addLast(new Http2StreamFrameToHttpObjectCodec(true))
            .addLast("client", new ClientConnection(server, loop, true, scheme));
      }
    };
  }

  /**
   * Puts HTTP/2 handlers in its own place once added, and takes the HTTP/1 {@link ClientConnection}
   * off the connection: from now on each stream has its own.
   */
  static final class Http2Switch extends ChannelHandlerAdapter {
    private final ChannelHandler[] handlers;

    Http2Switch(ChannelHandler... handlers) {
      this.handlers = handlers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ChannelPipeline p = ctx.pipeline();
      String after = ctx.name();
      for (ChannelHandler h : handlers) {
        String name = h.getClass().getSimpleName() + "#" + System.identityHashCode(h);
        p.addAfter(after, name, h);
        after = name;
      }
      if (p.get("client") != null) {
        p.remove("client");
      }
      if (p.get(ProxyServer.HEAD_TIMER) != null) {
        p.remove(ProxyServer.HEAD_TIMER);
      }
      p.remove(this);
    }
  }

  /**
   * The end of a connection's pipeline: connection-level frames that Netty has already acted on
   * (SETTINGS, PING, GOAWAY, unknown frame types) and I/O errors stop here quietly instead of
   * reaching Netty's pipeline tail, which logs each one.
   */
  static final class Http2ConnectionTail extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
        // Told after the fact: the codec answers with the GOAWAY of the error's own code next.
        log.debug("HTTP/2 connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        return;
      }
      if (!(cause instanceof java.io.IOException)) {
        log.debug("HTTP/2 connection {} failed", ctx.channel().remoteAddress(), cause);
      }
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      ReferenceCountUtil.release(evt);
    }
  }
}
