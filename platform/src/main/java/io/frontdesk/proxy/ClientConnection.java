package io.frontdesk.proxy;

import io.frontdesk.api.exchange.TlsInfo;
import io.frontdesk.routing.ConfigSnapshot;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one HTTP/1.x connection, or of one HTTP/2 stream: turns decoded requests into
 * {@link ProxyExchange}s, one at a time (pipelined requests wait their turn), and owns the
 * connection's read switch, which several reasons may hold off at once.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
  /** Read-blocking reason: a pipelined request waits for the one before it. */
  private static final int BLOCK_PIPELINE = 1;

  private final ProxyServer server;
  private final LoopResources loop;
  private final boolean http2;
  private final String scheme;
  private Channel channel;
  private ConnectionFacts facts;
  private TlsInfo tls;
  /** The running exchange's side of this connection, or {@code null} between exchanges. */
  private Downstream current;
  private ArrayDeque<HttpObject> pending;
  private ReadSwitch reads;
  private boolean closing;
  private boolean draining;
  private boolean inRead;
  private long idleSinceNanos;
  /** When the request head now being read started (0 = none being read). */
  private long headStartNanos;
  /** Request heads handed to exchanges so far, and the number of one whose chunk line is broken. */
  private int exchanges;
  private int brokenChunkLines;
  private final IdleWatch idleWatch = new IdleWatch();

  ClientConnection(ProxyServer server, LoopResources loop, boolean http2, String scheme) {
    this.server = server;
    this.loop = loop;
    this.http2 = http2;
    this.scheme = scheme;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    reads = new ReadSwitch(channel);
    Channel transport = http2 ? channel.parent() : channel;
    InetSocketAddress peer = transport.remoteAddress() instanceof InetSocketAddress a ? a : null;
    String peerIp = peer == null ? "unknown"
        : peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    String localPort = transport.localAddress() instanceof InetSocketAddress l ? Integer.toString(l.getPort()) : "";
    facts = new ConnectionFacts(http2, scheme, peer, peerIp, localPort);
    if (!http2) {
      idleSinceNanos = System.nanoTime();
      headStartNanos = idleSinceNanos; // a new connection owes its first request head
      loop.sweeper().watchConnection(idleWatch);
    }
    SslHandler ssl = transport.pipeline().get(SslHandler.class);
    if (ssl != null && ssl.handshakeFuture().isSuccess()) {
      tls = tlsInfo(ssl);
    }
  }

  Channel channel() {
    return channel;
  }

  ConnectionFacts facts() {
    return facts;
  }

  /** Bytes arrived from the client (seen by {@link HeadTimer} before decoding). */
  void bytesArrived() {
    if (current == null && headStartNanos == 0) {
      headStartNanos = System.nanoTime();
    }
  }

  /** @return whether a read from the client is being processed (a flush will follow it) */
  boolean inRead() {
    return inRead;
  }

  TlsInfo tls() {
    return tls;
  }

  void blockRead(int reason) {
    reads.block(reason);
  }

  void unblockRead(int reason) {
    reads.unblock(reason, !closing);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    inRead = true;
    if (closing || !(msg instanceof HttpObject)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current != null || (pending != null && !pending.isEmpty())) {
      if (msg instanceof HttpRequest || (pending != null && !pending.isEmpty())) {
        if (pending == null) {
          pending = new ArrayDeque<>(4);
        }
        pending.add((HttpObject) msg);
        blockRead(BLOCK_PIPELINE);
        return;
      }
      deliver((HttpContent) msg);
      return;
    }
    dispatch((HttpObject) msg);
  }

  private void dispatch(HttpObject msg) {
    if (msg instanceof HttpRequest req) {
      startExchange(req);
    } else {
      ReferenceCountUtil.release(msg); // body of a request already answered and closed
    }
  }

  /** Request {@code n} (1-based, in arrival order) has a malformed chunk-size line. */
  void chunkLineBroken(int n) {
    brokenChunkLines = n;
  }

  private void deliver(HttpContent c) {
    if (brokenChunkLines != 0 && brokenChunkLines == exchanges) {
      brokenChunkLines = 0;
      c.release();
      current.onBrokenChunkLine();
      return;
    }
    current.onRequestContent(c);
  }

  private void startExchange(HttpRequest req) {
    headStartNanos = 0;
    exchanges++;
    HttpContent initial = null;
    HttpRequest head = req;
    if (req instanceof FullHttpRequest full) {
      // HTTP/2 streams and h2c upgrades deliver head and body in one object: split them, and frame
      // the head by the body it really has.
      head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
      head.setDecoderResult(full.decoderResult());
      head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      int length = full.content().readableBytes();
      if (length > 0 || head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
      }
      initial = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
    }
    ConfigSnapshot snapshot = server.holder().current();
    ProxyExchange ex = new ProxyExchange(this, server, loop, snapshot, head);
    Downstream d = ex.downstream();
    current = d;
    ex.start();
    if (initial != null) {
      d.onRequestContent(initial);
    }
  }

  /**
   * Called by the exchange (its {@link Downstream}) when it has ended.
   *
   * @return whether the connection goes on to the next request (the exchange's read blocks may go)
   */
  boolean exchangeFinished(Downstream ended, boolean reusable) {
    if (ended != current) {
      return false;
    }
    current = null;
    idleSinceNanos = System.nanoTime();
    if (http2 || closing) {
      return false;
    }
    if (!reusable || draining) {
      closing = true;
      closeAfter(channel.writeAndFlush(Unpooled.EMPTY_BUFFER));
      releasePending();
      return false;
    }
    if (pending != null && !pending.isEmpty()) {
      // Run waiting pipelined requests from the loop, not from inside the exchange that just ended.
      loop.loop().execute(this::drainPending);
    }
    return true;
  }

  private void drainPending() {
    while (current == null && !closing && pending != null && !pending.isEmpty()) {
      HttpObject next = pending.poll();
      dispatch(next);
      while (current != null && pending != null && !pending.isEmpty() && !(pending.peek() instanceof HttpRequest)) {
        deliver((HttpContent) pending.poll());
      }
    }
    if (current == null && (pending == null || pending.isEmpty())) {
      unblockRead(BLOCK_PIPELINE);
      if (draining) {
        closeIfIdle();
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    inRead = false;
    Downstream d = current;
    if (d != null) {
      d.onReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Downstream d = current;
    if (d != null) {
      d.onWritabilityChanged(ctx.channel().isWritable());
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    LoopSweeper.unwatch(idleWatch); // switched to HTTP/2 or a tunnel
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    LoopSweeper.unwatch(idleWatch);
    Downstream d = current;
    if (d != null) {
      d.onClosed();
    }
    releasePending();
  }

  private void releasePending() {
    if (pending != null) {
      pending.forEach(ReferenceCountUtil::release);
      pending.clear();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (current == null) {
        ctx.close();
      }
    } else if (evt instanceof SslHandshakeCompletionEvent hs && hs.isSuccess()) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl != null) {
        tls = tlsInfo(ssl);
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof java.io.IOException)) {
      log.debug("client connection {} failed", facts == null ? null : facts.peer(), cause);
    }
    ctx.close();
  }

  /**
   * Closes the connection once {@code flush} is done — or after the keep-alive timeout regardless,
   * so a client that stops reading cannot hold a closing connection (and its buffers) forever.
   */
  void closeAfter(ChannelFuture flush) {
    flush.addListener(ChannelFutureListener.CLOSE);
    if (!flush.isDone()) {
      channel.eventLoop().schedule(() -> {
        if (channel.isOpen()) {
          channel.close();
        }
      }, server.keepAliveTimeoutNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Shutdown: close now when no exchange is running, else after the current one. */
  void drain() {
    draining = true;
    closeIfIdle();
  }

  private void closeIfIdle() {
    if (current == null && !http2) {
      closing = true;
      channel.close();
    }
  }

  /**
   * Closes an HTTP/1 connection left idle between requests for longer than the keep-alive timeout,
   * and answers 408 to one whose request head takes longer than the header timeout to arrive (a
   * client trickling a byte at a time holds no connection for long).
   */
  private final class IdleWatch extends LoopSweeper.Watched {
    @Override
    void sweep(long now) {
      if (current != null || closing) {
        return;
      }
      if (headStartNanos != 0 && now - headStartNanos >= server.headerTimeoutNanos()) {
        LoopSweeper.unwatch(this);
        closing = true;
        server.headerTimedOut();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
            Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        closeAfter(channel.writeAndFlush(r));
      } else if (headStartNanos == 0 && now - idleSinceNanos >= server.keepAliveTimeoutNanos()) {
        LoopSweeper.unwatch(this);
        closing = true;
        channel.close();
      }
    }
  }

  /** After a 101: this connection becomes one end of a byte tunnel to {@code upstream}. */
  void startTunnel(Channel upstream, long idleTimeoutMillis, Runnable onClose) {
    LoopSweeper.unwatch(idleWatch);
    Tunnel.splice(channel, this, upstream, idleTimeoutMillis, onClose);
  }

  static TlsInfo tlsInfo(SslHandler ssl) {
    SSLSession s = ssl.engine().getSession();
    String sni = null;
    if (s instanceof ExtendedSSLSession ext) {
      for (SNIServerName n : ext.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) {
          sni = h.getAsciiName();
        }
      }
    }
    return new TlsInfo(s.getProtocol(), s.getCipherSuite(), sni, ssl.applicationProtocol());
  }
}
