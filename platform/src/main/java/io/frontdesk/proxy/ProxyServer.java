package io.frontdesk.proxy;

import io.frontdesk.proxy.Http2Pipeline.Http2Switch;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.routing.SnapshotHolder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listeners: Netty server channels on Vert.x's own event loops, one pipeline per
 * connection (HTTP/1.1, h2c by upgrade or prior knowledge, TLS with ALPN for h2), each ending in a
 * {@link ClientConnection}. Also the shared pieces exchanges need and the graceful stop.
 */
public final class ProxyServer {

  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
  static final String HEAD_TIMER = "head-timer";

  private final VertxInternal vertx;
  private final SnapshotHolder holder;
  private final ProxySettings settings;
  private final ExchangeObserver observer;
  private final TraceRegistry traces;
  private final Http2Pipeline http2;
  private final Map<EventLoop, LoopResources> loops = new IdentityHashMap<>();
  private final List<LoopResources> loopList = new ArrayList<>();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final List<Channel> listeners = new ArrayList<>();
  private final LongAdder active = new LongAdder();
  private final LongAdder total = new LongAdder();
  private final ConnectionLimits connectionLimits;
  private final LongAdder headerTimeouts = new LongAdder();
  private volatile boolean draining;
  private SslContext sslContext;
  private int boundHttpPort = -1;
  private int boundHttpsPort = -1;

  public ProxyServer(Vertx vertx, SnapshotHolder holder, ProxySettings settings, ExchangeObserver observer,
      TraceRegistry traces) {
    this.vertx = (VertxInternal) vertx;
    this.holder = holder;
    this.settings = settings;
    this.observer = observer;
    this.traces = traces;
    this.connectionLimits = new ConnectionLimits(settings.limits().maxConnections(),
        settings.limits().maxConnectionsPerClient());
    this.http2 = new Http2Pipeline(this, settings.http2(), settings.keepAliveTimeoutMillis());
    int i = 0;
    for (EventExecutor e : this.vertx.nettyEventLoopGroup()) {
      EventLoop loop = (EventLoop) e;
      ContextInternal ctx = this.vertx.contextBuilder().withEventLoop(loop).build();
      UpstreamPool pool = new UpstreamPool(loop, this.vertx.transport().channelFactory(false),
          this.vertx.nameResolver().nettyAddressResolverGroup(), settings.upstreamIdleTimeoutMillis(),
          settings.upstreamConnections());
      LoopResources r = new LoopResources(i++, loop, ctx, pool, new LoopSweeper(loop));
      loops.put(loop, r);
      loopList.add(r);
    }
  }

  /** @return how many event loops serve traffic (each owns one balancer per upstream) */
  public static int loopCount(Vertx vertx) {
    int n = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      n++;
    }
    return n;
  }

  public Future<Void> start() {
    Promise<Void> done = Promise.promise();
    vertx.executeBlocking(() -> {
      if (settings.httpsPort() >= 0) {
        sslContext = buildSslContext();
      }
      return null;
    }).onFailure(done::fail).onSuccess(v -> {
      bind(settings.httpPort(), false).compose(port -> {
        boundHttpPort = port;
        return settings.httpsPort() >= 0 ? bind(settings.httpsPort(), true) : Future.succeededFuture(-1);
      }).onSuccess(port -> {
        boundHttpsPort = port;
        done.complete();
      }).onFailure(done::fail);
    });
    return done.future();
  }

  private SslContext buildSslContext() throws SSLException {
    return SslContextBuilder.forServer(settings.tlsCert().toFile(), settings.tlsKey().toFile())
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  private Future<Integer> bind(int port, boolean tls) {
    Promise<Integer> p = Promise.promise();
    ServerBootstrap b = new ServerBootstrap()
        .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_BACKLOG, 8192)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (!connectionLimits.admit(ch)) {
              ch.close();
              return;
            }
            connections.add(ch);
            if (tls) {
              initTls(ch);
            } else {
              initPlain(ch);
            }
          }
        });
    ChannelFuture f = b.bind(new InetSocketAddress(settings.bindHost(), port));
    f.addListener(r -> {
      if (r.isSuccess()) {
        listeners.add(f.channel());
        p.complete(((InetSocketAddress) f.channel().localAddress()).getPort());
      } else {
        p.fail(r.cause());
      }
    });
    return p.future();
  }

  private HttpServerCodec httpCodec() {
    return new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(32 * 1024)
        .setMaxChunkSize(64 * 1024)
        .setHeadersFactory(DecodedRequestHeaders.FACTORY));
  }

  long keepAliveTimeoutNanos() {
    return TimeUnit.MILLISECONDS.toNanos(settings.keepAliveTimeoutMillis());
  }

  long headerTimeoutNanos() {
    return TimeUnit.MILLISECONDS.toNanos(settings.limits().headerTimeoutMillis());
  }

  long maxRequestBodyBytes() {
    return settings.limits().maxRequestBodyBytes();
  }

  void headerTimedOut() {
    headerTimeouts.increment();
  }

  /** Plain port: HTTP/1.1, upgraded to h2c on request, or h2c straight away (prior knowledge). */
  private void initPlain(Channel ch) {
    LoopResources loop = loops.get(ch.eventLoop());
    HttpServerCodec codec = httpCodec();
    ClientConnection client = new ClientConnection(this, loop, false, "http");
    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
            ? new Http2ServerUpgradeCodec(http2FrameCodec(), http2Handlers(loop, "http"))
            : null, 64 * 1024) {
      // Only h2c is Frontdesk's own upgrade: any other (WebSocket…) goes to the exchange unbuffered,
      // so its framing checks and 100-continue after the filters apply to it too.
      @Override
      protected boolean shouldHandleUpgradeRequest(io.netty.handler.codec.http.HttpRequest req) {
        String up = req.headers().get(io.netty.handler.codec.http.HttpHeaderNames.UPGRADE);
        return up != null && HopByHop.hasToken(up, "h2c");
      }
    };
    ch.pipeline()
        .addLast(HEAD_TIMER, new HeadTimer(client))
        .addLast("h2c", new CleartextHttp2ServerUpgradeHandler(codec, upgrade,
            new Http2Switch(http2FrameCodec(), http2Handlers(loop, "http"))))
        .addLast("client", client);
  }

  /** The handlers after the HTTP/2 frame codec of a connection (see {@link Http2Pipeline}). */
  private ChannelHandler http2Handlers(LoopResources loop, String scheme) {
    return http2.handlers(loop, scheme);
  }

  /** TLS port: ALPN picks h2 or HTTP/1.1. */
  private void initTls(Channel ch) {
    LoopResources loop = loops.get(ch.eventLoop());
    ch.pipeline()
        .addLast("ssl", sslContext.newHandler(ch.alloc()))
        .addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
          @Override
          protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
              p.addLast(http2FrameCodec(), http2Handlers(loop, "https"));
            } else {
              ClientConnection client = new ClientConnection(ProxyServer.this, loop, false, "https");
              p.addLast(HEAD_TIMER, new HeadTimer(client))
                  .addLast("codec", httpCodec())
                  .addLast("client", client);
            }
          }

          @Override
          protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
          }
        });
  }

  private Http2FrameCodec http2FrameCodec() {
    return http2.frameCodec();
  }

  /**
   * Stops accepting, lets exchanges in flight finish for up to {@code drainMillis}, then closes
   * every connection.
   */
  public Future<Void> stop(long drainMillis) {
    draining = true;
    Promise<Void> done = Promise.promise();
    for (Channel l : listeners) {
      l.close();
    }
    drainConnections();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    long[] quietSince = {0};
    vertx.setPeriodic(50, id -> {
      long now = System.nanoTime();
      quietSince[0] = active.sum() > 0 ? 0 : quietSince[0] == 0 ? now : quietSince[0];
      if ((quietSince[0] != 0 && now - quietSince[0] >= QUIET_BEFORE_CLOSE_NANOS) || now >= deadline) {
        vertx.cancelTimer(id);
        if (active.sum() > 0) {
          log.warn("{} exchanges still in flight after {} ms; closing their connections", active.sum(), drainMillis);
        }
        connections.close().addListener(f -> {
          for (LoopResources r : loopList) {
            r.loop().execute(() -> r.pool().closeIdle());
          }
          done.complete();
        });
      } else {
        drainConnections();
      }
    });
    return done.future();
  }

  /**
   * How long an HTTP/2 connection stays without streams before the drain closes it (GOAWAY): some
   * clients (Java's before 24) fail a stream whose last frames they are still delivering when a
   * GOAWAY follows them at once.
   */
  private static final long QUIET_BEFORE_CLOSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final AttributeKey<Long> QUIET_SINCE = AttributeKey.valueOf("frontdesk.drain.quietSince");

  /**
   * Closes every connection that has nothing in flight: HTTP/1 connections between requests (the
   * others close after their current response), HTTP/2 connections that have had no open stream
   * for a moment. Waiting for streams before the GOAWAY spares clients that fail streams in flight
   * on one.
   */
  private void drainConnections() {
    for (Channel c : connections) {
      c.eventLoop().execute(() -> {
        ClientConnection cc = c.pipeline().get(ClientConnection.class);
        if (cc != null) {
          cc.drain();
          return;
        }
        Http2FrameCodec h2 = c.pipeline().get(Http2FrameCodec.class);
        if (h2 == null) {
          return;
        }
        if (h2.connection().numActiveStreams() > 0) {
          c.attr(QUIET_SINCE).set(null);
          return;
        }
        long now = System.nanoTime();
        Long since = c.attr(QUIET_SINCE).setIfAbsent(now);
        if (since != null && now - since >= QUIET_BEFORE_CLOSE_NANOS) {
          c.close();
        }
      });
    }
  }

  public int httpPort() {
    return boundHttpPort;
  }

  public int httpsPort() {
    return boundHttpsPort;
  }

  /** @return exchanges in flight now */
  public long activeExchanges() {
    return active.sum();
  }

  /** @return exchanges started since start */
  public long totalExchanges() {
    return total.sum();
  }

  /** @return connections closed at once because a connection limit was reached */
  public long refusedConnections() {
    return connectionLimits.refused();
  }

  /** @return connections answered 408 because their request head did not arrive in time */
  public long headerTimeouts() {
    return headerTimeouts.sum();
  }

  /** @return open client connections (HTTP/1 connections and HTTP/2 connections) */
  public int openConnections() {
    return connections.size();
  }

  // --- For exchanges.

  SnapshotHolder holder() {
    return holder;
  }

  TrustedProxies trustedProxies() {
    return settings.trustedProxies();
  }

  ExchangeObserver observer() {
    return observer;
  }

  String nodeId() {
    return settings.nodeId();
  }

  boolean isDraining() {
    return draining;
  }

  Vertx vertx() {
    return vertx;
  }

  long tunnelIdleTimeoutMillis() {
    return settings.tunnelIdleTimeoutMillis();
  }

  void exchangeStarted() {
    active.increment();
    total.increment();
  }

  void exchangeEnded() {
    active.decrement();
  }

  /** @return the trace an operator asked for that this request matches, or {@code null} */
  ExchangeTrace traceFor(CompiledRoute route, String forwardPath, io.netty.handler.codec.http.HttpRequest request) {
    if (traces == null) {
      return null;
    }
    ExchangeTrace t = traces.claim(request);
    if (t != null) {
      t.matched(route.site().site().name(), route.route().name(), route.upstream().config().name(), forwardPath);
    }
    return t;
  }

  /** Replaces the values of sensitive query parameters (tokens, passwords) before logging. */
  String redactQuery(String query) {
    if (query == null || settings.redactedQueryParams().isEmpty()) {
      return query;
    }
    StringBuilder sb = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && settings.redactedQueryParams().stream().anyMatch(name::equalsIgnoreCase)) {
        sb.append(name).append("=REDACTED");
      } else {
        sb.append(pair);
      }
    }
    return sb.toString();
  }
}
