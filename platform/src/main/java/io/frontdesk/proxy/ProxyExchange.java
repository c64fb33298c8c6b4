package io.frontdesk.proxy;

import io.frontdesk.api.exchange.Attributes;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.exchange.TlsInfo;
import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.filter.LocalResponseException;
import io.frontdesk.api.http.Headers;
import io.frontdesk.api.http.RequestHead;
import io.frontdesk.api.http.ResponseHead;
import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.pluginhost.FilterChain;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.routing.CompiledSite;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.routing.HostPattern;
import io.frontdesk.routing.PathNormalizer;
import io.frontdesk.config.RequestPolicy;
import io.frontdesk.config.RetryPolicy;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.frontdesk.upstream.Outcome;
import io.frontdesk.proxy.RetryDecision.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request/response exchange on its way through Frontdesk, from request head to the last byte
 * of the response: routing, the filter chain, choosing and talking to a target, streaming both
 * bodies with back-pressure, and the one place where failures become 4xx/5xx/499.
 *
 * <p>Everything runs on the client channel's event loop; the upstream connection comes from the
 * same loop's pool. Bodies are never held whole: chunks flow from one channel to the other, and a
 * channel that cannot take more pauses reading on the other side.
 */
final class ProxyExchange extends LoopSweeper.Watched implements Exchange, ExchangeView, ChainRunner.Events {

  private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

  /** Client read-blocking reasons owned by an exchange. */
  static final int BLOCK_WAITING = 4; // filters deciding or upstream connecting: body waits
  static final int BLOCK_UPSTREAM_BACKPRESSURE = 8;

  private static final int ACTIVE = 0;
  private static final int DONE = 1;

  private final ClientConnection client;
  private final ProxyServer server;
  private final LoopResources loop;
  private final ConfigSnapshot snapshot;
  private final HttpRequest request;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private int state = ACTIVE;

  // Request facts.
  private String requestId;
  private String clientIp;
  private String host;
  private String originalPath;
  private String path;
  private String query;
  private String hostHeader;
  private boolean headRequest;
  private HttpVersion clientVersion;
  private boolean clientKeepAlive;
  private boolean expectContinue;
  private boolean upgradeRequested;
  private String upgradeProtocol;
  private boolean chunkedRequest;
  private long declaredLength = -1;
  private long maxBodyBytes;
  private CompiledRoute route;
  private RequestView requestView;
  private BalancerContext balancerView;
  private ResponseView responseView;
  private AttributeMap attributes;
  private ExchangeTrace trace;

  // Request body.
  private ArrayDeque<HttpContent> requestBacklog;
  private boolean requestComplete;
  private long requestBytes;
  private boolean requestBodySent;
  private List<BodyTransformer> requestTransformers;

  /** Walks the route's filters; {@code null} when the route has none. */
  private ChainRunner runner;

  // Upstream.
  private CompiledTarget target;
  private boolean attemptOpen;
  private boolean attemptIsRetry;
  private int upstreamStatus;
  private CompiledTarget lastFailedTarget;
  private boolean reusedConnectionFailedEarly;
  private boolean staleRetryUsed;
  private List<CompiledTarget> tried;
  private int retries;
  private ArrayDeque<HttpContent> replay;
  private int replayBytes;
  private boolean replayOverflow;
  private boolean continueSent;
  private UpstreamConnection upstream;
  private boolean upstreamKeepAlive;
  private long upstreamStartNanos;
  private long upstreamEndNanos;
  private long lastUpstreamActivityNanos;
  private long readTimeoutNanos;
  private boolean needsUpstreamFlush;
  private boolean readingUpstream;

  // Response.
  private HttpResponse response;
  private boolean responseFromUpstream;
  private ByteBuf localBody;
  private ReadStream<Buffer> localStream;
  private ArrayDeque<HttpContent> responseBacklog;
  private boolean responsePhase;
  private boolean responseHeadSent;
  /** The upstream's response has arrived whole (its end may still wait behind a response filter). */
  private boolean upstreamResponseEnded;
  /** The response body's length as its source framed it, or -1 (unknown: chunked or until close). */
  private long responseLength = -1;
  private boolean responseComplete;
  private List<BodyTransformer> responseTransformers;
  private boolean closeClientAfter;
  private int status;
  private long responseBytes;
  private String details;
  private boolean tunnel;

  ProxyExchange(ClientConnection client, ProxyServer server, LoopResources loop, ConfigSnapshot snapshot,
      HttpRequest request) {
    this.client = client;
    this.server = server;
    this.loop = loop;
    this.snapshot = snapshot;
    this.request = request;
  }

  // ---------------------------------------------------------------------------------------------
  // Request head: validation, routing, forwarding headers.

  void start() {
    snapshot.enter();
    server.exchangeStarted();
    headRequest = HttpMethod.HEAD.equals(request.method());
    clientVersion = request.protocolVersion();
    HopByHop.Scan scan = HopByHop.scan(request.headers(), new HopByHop.Scan());
    clientKeepAlive = !client.isHttp2() && (request.protocolVersion().isKeepAliveDefault()
        ? !HopByHop.hasToken(scan.connection, "close") : HopByHop.hasToken(scan.connection, "keep-alive"));
    boolean trusted = server.trustedProxies().trusts(client.peer());
    requestId = identify(scan, trusted);

    if (request.decoderResult().isFailure()) {
      closeClientAfter = true;
      originalPath = truncate(request.uri());
      Throwable cause = request.decoderResult().cause();
      int code = cause instanceof TooLongHttpLineException ? 414
          : cause instanceof TooLongHttpHeaderException ? 431
          : cause instanceof TooLongFrameException ? 413 : 400;
      respondError(code, "malformed request: " + cause.getMessage());
      return;
    }
    if (!checkFraming(scan)) {
      return;
    }
    requestComplete = !hasRequestBody(); // the decoder's empty last chunk may still be on its way
    if (!parseTarget()) {
      return;
    }
    prepareForwarding(scan, trusted);
    request.headers().set(HopByHop.X_REQUEST_ID, requestId);
    String expect = scan.hasExpect ? request.headers().get(HttpHeaderNames.EXPECT) : null;
    if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
      closeClientAfter = true;
      respondError(417, "unsupported Expect: " + request.headers().get(HttpHeaderNames.EXPECT));
      return;
    }
    expectContinue = expect != null && request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0;
    if (expect != null) {
      request.headers().remove(HttpHeaderNames.EXPECT);
    }

    CompiledSite site = snapshot.site(host);
    if (site == null) {
      respondError(404, "no site for host '" + host + "'");
      return;
    }
    HttpHeaders h = request.headers();
    route = site.routes().match(request.method().name(), path, h::get);
    if (route == null) {
      respondError(404, "no route of site '" + site.site().name() + "' matches " + request.method() + " " + path);
      return;
    }
    if (!checkRoutePolicy(route.route().policy())) {
      return;
    }
    String forwardPath = route.rule().forwardPath(path);
    if (!forwardPath.equals(path)) {
      path = forwardPath;
    }
    request.setUri(query == null ? path : path + "?" + query);
    trace = server.traceFor(this, request);
    FilterChain chain = route.chain();
    if (chain.isEmpty()) {
      proceedToUpstream();
    } else {
      runner = new ChainRunner(chain, this, this, loop, trace, requestId);
      runner.startRequestPhase();
    }
  }

  /**
   * Finds the client's address and the request id: a trusted proxy's {@code X-Forwarded-For} and
   * {@code X-Request-Id} are believed, anyone else's are not.
   */
  private String identify(HopByHop.Scan scan, boolean trusted) {
    clientIp = client.peerIp();
    if (trusted && scan.hasForwardedFor) {
      String c = server.trustedProxies().clientFrom(request.headers().getAll(HopByHop.X_FORWARDED_FOR));
      if (c != null) {
        clientIp = c;
      }
    }
    if (trusted && scan.hasRequestId) {
      String incoming = request.headers().get(HopByHop.X_REQUEST_ID);
      if (RequestIds.acceptable(incoming)) {
        return incoming;
      }
    }
    return RequestIds.next();
  }

  /**
   * How the client's request body is framed (RFC 9112 6): one Host, {@code chunked} as the only
   * transfer coding, and a connection that closes after a request that had both framing headers.
   * Answers 400/501 and closes when the body's length cannot be known.
   */
  private boolean checkFraming(HopByHop.Scan scan) {
    HttpHeaders h = request.headers();
    if (client.isHttp2()) {
      // HTTP/2 frames the body itself; the stream codec marks a body that may follow as chunked.
      chunkedRequest = HttpUtil.isTransferEncodingChunked(request);
      return chunkedRequest || readContentLength();
    }
    if (scan.hostCount > 1) {
      return refuseFraming(400, "more than one Host header");
    }
    if (scan.transferEncoding != null) {
      String[] codings = scan.transferEncoding.split(",", -1);
      String last = codings[codings.length - 1].trim();
      if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
        return refuseFraming(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (!last.equalsIgnoreCase("chunked")) {
        return refuseFraming(400, "the final transfer coding is '" + truncate(last)
            + "', not chunked: the body's length is unknown");
      }
      if (codings.length > 1) {
        return refuseFraming(501, "unsupported transfer coding in '" + truncate(scan.transferEncoding) + "'");
      }
      chunkedRequest = true;
      closeClientAfter = DecodedRequestHeaders.hadLengthAndChunked(h); // RFC 9112 6.3: close after CL + TE
      return true;
    }
    return readContentLength();
  }

  private boolean readContentLength() {
    try {
      declaredLength = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      declaredLength = -1;
    }
    if (declaredLength < -1 || (declaredLength == -1 && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH))) {
      return refuseFraming(400, "invalid Content-Length");
    }
    return true;
  }

  /** The body's end cannot be found: answer, and read nothing more from this connection. */
  private boolean refuseFraming(int code, String why) {
    closeClientAfter = true;
    respondError(code, why);
    return false;
  }

  /** What the matched route accepts: unusual path forms, the body's size, upgrades. */
  private boolean checkRoutePolicy(RequestPolicy policy) {
    int forms = PathNormalizer.unusualForms(originalPath);
    if ((forms & PathNormalizer.SLASH_FORMS) != 0 && !policy.allowEncodedSlashes()) {
      respondError(400, "the path has an escaped slash or a backslash (route '" + route.route().name()
          + "' does not set allowEncodedSlashes)");
      return false;
    }
    if ((forms & PathNormalizer.PATH_PARAMETERS) != 0 && !policy.allowPathParameters()) {
      respondError(400, "the path has ';' parameters (route '" + route.route().name()
          + "' does not set allowPathParameters)");
      return false;
    }
    maxBodyBytes = policy.maxRequestBodyBytes() > 0 ? policy.maxRequestBodyBytes() : server.maxRequestBodyBytes();
    if (maxBodyBytes > 0 && declaredLength > maxBodyBytes) {
      closeClientAfter = true;
      respondError(413, "request body of " + declaredLength + " bytes is over the limit of " + maxBodyBytes);
      return false;
    }
    if (upgradeRequested) {
      chooseUpgrade(policy);
    }
    return true;
  }

  /**
   * Keeps the first protocol the route allows in {@code Upgrade} (h2c never: it would hand the
   * connection to the upstream); without one, the request goes on as a plain request.
   */
  private void chooseUpgrade(RequestPolicy policy) {
    HttpHeaders h = request.headers();
    String chosen = null;
    for (String token : h.get(HttpHeaderNames.UPGRADE, "").split(",")) {
      if (policy.allowsUpgrade(token)) {
        chosen = token.trim();
        break;
      }
    }
    if (chosen == null) {
      upgradeRequested = false;
      h.remove(HttpHeaderNames.UPGRADE);
      h.remove(HttpHeaderNames.CONNECTION);
      return;
    }
    upgradeProtocol = chosen;
    h.set(HttpHeaderNames.UPGRADE, chosen);
  }

  /**
   * Removes hop-by-hop headers and sets the forwarding headers from the validated host. Only a
   * trusted proxy's forwarding headers survive.
   */
  private void prepareForwarding(HopByHop.Scan scan, boolean trusted) {
    HttpHeaders h = request.headers();
    upgradeRequested = !client.isHttp2() && scan.hasUpgrade && HopByHop.hasToken(scan.connection, "upgrade");
    HopByHop.strip(h, scan, upgradeRequested);
    if (scan.hasHopByHop) {
      h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }
    if (upgradeRequested) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    if (scan.hasHttp2Extension) {
      h.remove("x-http2-stream-id");
      h.remove("x-http2-scheme");
      h.remove("x-http2-path");
      h.remove("x-http2-stream-weight");
      h.remove("x-http2-stream-dependency-id");
    }
    if (!trusted && scan.hasClaims) {
      HopByHop.removeClaims(h);
    }
    if (scan.hasUnderscoreName) {
      HopByHop.removeUnderscoreSpellings(h);
    }
    String peerIp = client.peerIp();
    if (trusted && scan.hasForwardedFor) {
      h.set(HopByHop.X_FORWARDED_FOR, String.join(", ", h.getAll(HopByHop.X_FORWARDED_FOR)) + ", " + peerIp);
    } else {
      h.set(HopByHop.X_FORWARDED_FOR, peerIp);
    }
    if (!trusted || !scan.hasForwardedProto) {
      h.set(HopByHop.X_FORWARDED_PROTO, client.scheme());
    }
    if (!trusted || !scan.hasForwardedHost) {
      if (!hostHeader.isEmpty()) {
        h.set(HopByHop.X_FORWARDED_HOST, hostHeader);
      } else {
        h.remove(HopByHop.X_FORWARDED_HOST);
      }
    }
    if (!trusted || !h.contains(HopByHop.X_FORWARDED_PORT)) {
      h.set(HopByHop.X_FORWARDED_PORT, client.localPort());
    }
    h.set(HopByHop.X_REAL_IP, clientIp);
  }

  /** Splits the request target into host, path and query; answers 400 when it is unusable. */
  private boolean parseTarget() {
    String uri = request.uri();
    String rawPath;
    hostHeader = request.headers().get(HttpHeaderNames.HOST);
    if (uri.startsWith("/")) {
      rawPath = uri;
    } else if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
      // absolute-form: the authority must name the same host as Host (RFC 9112 3.2.2 lets the URI win,
      // but then Host-based rules and the backend would disagree on the site)
      int authStart = uri.indexOf("//") + 2;
      int slash = uri.indexOf('/', authStart);
      int qm = uri.indexOf('?', authStart);
      int end = slash < 0 ? (qm < 0 ? uri.length() : qm) : (qm >= 0 && qm < slash ? qm : slash);
      String authority = uri.substring(authStart, end);
      String sent = request.headers().get(HttpHeaderNames.HOST);
      if (sent != null && !sameHost(sent, authority)) {
        closeClientAfter = true;
        respondError(400, "Host '" + truncate(sent) + "' differs from the request target's authority '"
            + truncate(authority) + "'");
        return false;
      }
      hostHeader = authority;
      request.headers().set(HttpHeaderNames.HOST, hostHeader);
      rawPath = end == uri.length() ? "/" : uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end);
    } else {
      closeClientAfter = true;
      originalPath = truncate(uri);
      respondError(400, "unsupported request target '" + truncate(uri) + "'");
      return false;
    }
    int q = rawPath.indexOf('?');
    String p = q < 0 ? rawPath : rawPath.substring(0, q);
    query = q < 0 ? null : rawPath.substring(q + 1);
    int frag = p.indexOf('#');
    if (frag >= 0) {
      p = p.substring(0, frag);
    }
    originalPath = PathNormalizer.normalize(p);
    if (originalPath == null) {
      originalPath = truncate(p);
      closeClientAfter = true;
      respondError(400, "invalid path '" + truncate(p) + "'");
      return false;
    }
    path = originalPath;
    if (hostHeader == null) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_0) && !client.isHttp2()) {
        hostHeader = "";
      } else {
        respondError(400, "the request has no Host header");
        return false;
      }
    }
    host = hostHeader.isEmpty() ? "" : HostPattern.fromHeader(hostHeader);
    if (host == null) {
      host = truncate(hostHeader);
      respondError(400, "invalid Host header '" + truncate(hostHeader) + "'");
      return false;
    }
    return true;
  }

  private static boolean sameHost(String a, String b) {
    String ha = HostPattern.fromHeader(a);
    return ha != null && ha.equals(HostPattern.fromHeader(b));
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  // ---------------------------------------------------------------------------------------------
  // Upstream: choose a target, get a connection, send the request.

  private void proceedToUpstream() {
    CompiledUpstream up = route.upstream();
    List<UpstreamTarget> candidates = up.candidates(tried);
    if (candidates.isEmpty()) {
      respondError(503, tried == null ? "every target of upstream '" + up.config().name() + "' is at its connection limit"
          : "no other target of upstream '" + up.config().name() + "' left to try");
      return;
    }
    UpstreamTarget picked;
    try {
      picked = candidates.size() == 1 ? candidates.get(0) : up.balancer(loop.index()).select(candidates, balancerView());
    } catch (RuntimeException | LinkageError e) {
      log.warn("balancer '{}' of upstream '{}' failed; using the first candidate", up.config().algorithm(),
          up.config().name(), e);
      picked = candidates.get(0);
    }
    if (!(picked instanceof CompiledTarget) || !candidates.contains(picked)) {
      picked = candidates.get(0); // a balancer must pick one of the candidates
    }
    connectTo((CompiledTarget) picked);
    if (upstream == null && state == ACTIVE && !requestComplete) {
      client.blockRead(BLOCK_WAITING); // connecting: the body waits
    }
  }

  private void attachUpstream(UpstreamConnection conn) {
    upstream = conn;
    conn.attach(this);
    upstreamStartNanos = System.nanoTime();
    lastUpstreamActivityNanos = upstreamStartNanos;
    if (trace != null) {
      trace.upstream(route.upstream().config().name(), target.address(), retries);
    }
    HttpHeaders h = request.headers();
    if (!route.route().preserveHost() || hostHeader == null || hostHeader.isEmpty()) {
      h.set(HttpHeaderNames.HOST, target.hostHeader());
    } else {
      h.set(HttpHeaderNames.HOST, hostHeader);
    }
    frameUpstreamRequest(h);
    if (request.protocolVersion() != HttpVersion.HTTP_1_1) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    Channel up = conn.channel();
    up.write(request);
    if (!hasRequestBody()) {
      up.write(LastHttpContent.EMPTY_LAST_CONTENT); // ends the request for the encoder, sends nothing
    }
    if (replay != null) {
      for (HttpContent c : replay) {
        up.write(c.retainedDuplicate()); // a retry: what the previous target got, again
      }
    }
    if (expectContinue && !continueSent && !requestComplete) {
      // The filters accepted the request: now let the client send its body (on HTTP/2 the stream
      // codec turns this into a HEADERS frame with :status 100).
      continueSent = true;
      client.channel().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
    if (upgradeRequested) {
      client.blockRead(BLOCK_WAITING); // nothing but the upstream's 101 may come first
    }
    if (requestBacklog != null) {
      HttpContent c;
      while ((c = requestBacklog.poll()) != null) {
        writeRequestContent(c);
      }
    }
    if (client.inRead()) {
      needsUpstreamFlush = true; // the client read in progress ends with one flush
    } else {
      up.flush();
      needsUpstreamFlush = false;
    }
    if (!upgradeRequested) {
      client.unblockRead(BLOCK_WAITING);
    }
    startReadTimeout(route.upstream().config().readTimeoutMs());
  }

  /** @return whether the client's request has a body (which may still be empty when chunked) */
  private boolean hasRequestBody() {
    return chunkedRequest || declaredLength > 0;
  }

  /**
   * The upstream request's framing follows the body that is really sent, not the headers a filter
   * may have set: a request without a body carries no framing, a length stays the client's length.
   */
  private void frameUpstreamRequest(HttpHeaders h) {
    if (chunkedRequest || (requestTransformers != null && hasRequestBody())) {
      HttpUtil.setTransferEncodingChunked(request, true); // also removes Content-Length
    } else {
      h.remove(HttpHeaderNames.TRANSFER_ENCODING);
      if (declaredLength >= 0) {
        h.set(HttpHeaderNames.CONTENT_LENGTH, declaredLength);
      } else {
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
      }
    }
  }

  void onRequestContent(HttpContent c) {
    if (state == DONE || tunnel) {
      c.release();
      return;
    }
    if (c.decoderResult().isFailure()) {
      Throwable cause = c.decoderResult().cause();
      c.release();
      requestBodyRefused(cause instanceof TooLongFrameException ? 413 : 400,
          "malformed request body: " + cause);
      return;
    }
    if (!hasRequestBody()) {
      c.release(); // the empty end of a request without a body: already ended upstream
      return;
    }
    requestBytes += c.content().readableBytes();
    if (maxBodyBytes > 0 && requestBytes > maxBodyBytes) {
      c.release();
      requestBodyRefused(413, "request body over the limit of " + maxBodyBytes + " bytes");
      return;
    }
    if (c instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (upstream == null) {
      if (requestBacklog == null) {
        requestBacklog = new ArrayDeque<>(4);
      }
      requestBacklog.add(c);
      if (!requestComplete) {
        client.blockRead(BLOCK_WAITING);
      }
      return;
    }
    writeRequestContent(c);
    needsUpstreamFlush = true;
    if (c instanceof LastHttpContent) {
      upstream.channel().flush();
      needsUpstreamFlush = false;
    }
  }

  /** {@link ChunkLines} saw a chunk-size line the decoder reads too kindly ({@code "3 \r\n"}). */
  void onBrokenChunkLine() {
    if (state != DONE && !tunnel) {
      requestBodyRefused(400, "malformed request body: a chunk size followed by whitespace that starts no extension");
    }
  }

  /**
   * The client's body turned out broken or too large: the upstream never sees it end (its
   * connection is closed mid-body), the client gets {@code code} and its connection closes.
   */
  private void requestBodyRefused(int code, String why) {
    closeClientAfter = true;
    endAttempt(Outcome.NEUTRAL, -1); // the client's fault, not the target's
    abortUpstream();
    if (target != null) {
      lastFailedTarget = target;
      target = null; // a connection still being acquired is given back, not used
    }
    if (responseHeadSent) {
      details = why;
      client.channel().close();
      finish();
      return;
    }
    respondError(code, why);
  }

  private void writeRequestContent(HttpContent c) {
    HttpContent out = c;
    if (requestTransformers != null && hasRequestBody()) {
      try {
        out = transform(requestTransformers, c);
      } catch (LocalResponseException e) {
        abortUpstream();
        closeClientAfter = true;
        respondLocal(e.response(), "request body refused: " + e.response().details());
        return;
      } catch (RuntimeException e) {
        abortUpstream();
        closeClientAfter = true;
        respondError(500, "a request body transformer failed: " + e);
        return;
      }
    }
    if (out.content().isReadable()) {
      requestBodySent = true;
    }
    keepForReplay(out);
    Channel up = upstream.channel();
    up.write(out);
    lastUpstreamActivityNanos = System.nanoTime(); // upload progress keeps the exchange alive too
    if (!up.isWritable()) {
      client.blockRead(BLOCK_UPSTREAM_BACKPRESSURE);
    }
  }

  /** Keeps what was sent upstream, while small enough, so a retry can send it again. */
  private void keepForReplay(HttpContent c) {
    if (replayOverflow) {
      return;
    }
    RetryPolicy p = route.upstream().config().retries();
    int n = c.content().readableBytes();
    if (p.attempts() == 0 || replayBytes + n > p.maxBodyBytes()) {
      replayOverflow = true;
      releaseBacklog(replay);
      replay = null;
      return;
    }
    if (replay == null) {
      replay = new ArrayDeque<>(2);
    }
    replayBytes += n;
    replay.add(c.retainedDuplicate());
  }

  void onClientReadComplete() {
    if (needsUpstreamFlush && upstream != null) {
      needsUpstreamFlush = false;
      upstream.channel().flush();
    }
  }

  void onUpstreamWritabilityChanged(boolean writable) {
    if (writable) {
      client.unblockRead(BLOCK_UPSTREAM_BACKPRESSURE);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Upstream response.

  void onUpstreamMessage(UpstreamConnection conn, Object msg) {
    if (conn != upstream || state == DONE) {
      ReferenceCountUtil.release(msg);
      return;
    }
    readingUpstream = true;
    try {
      handleUpstreamMessage(msg);
    } finally {
      readingUpstream = false;
    }
  }

  private void handleUpstreamMessage(Object msg) {
    lastUpstreamActivityNanos = System.nanoTime();
    if (msg instanceof HttpResponse r) {
      if (r.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        upstreamFailed(new IOException("malformed response: " + r.decoderResult().cause()), Failure.BAD_RESPONSE);
        return;
      }
      int code = r.status().code();
      if (code == 101) {
        ReferenceCountUtil.release(msg);
        String refused = upgradeRequested ? WebSocketAccept.checkSwitch(upgradeProtocol, request.headers(), r.headers())
            : "switched protocols though no upgrade was asked for";
        if (refused != null) {
          closeClientAfter = true;
          upstreamFailed(new IOException(refused), Failure.BAD_RESPONSE);
          return;
        }
        startTunnel(r);
        return;
      }
      if (code >= 100 && code < 200) {
        ReferenceCountUtil.release(msg); // interim responses (100, 102, 103) are not passed on
        return;
      }
      if (responsePhase) {
        ReferenceCountUtil.release(msg);
        return;
      }
      upstreamStatus = code;
      if (code >= 502 && code <= 504 && mayRetryStatus(code)) {
        ReferenceCountUtil.release(msg);
        retryAfterStatus(code);
        return;
      }
      HopByHop.Scan rs = HopByHop.scan(r.headers(), new HopByHop.Scan());
      upstreamKeepAlive = r.protocolVersion().isKeepAliveDefault()
          ? !HopByHop.hasToken(rs.connection, "close") : HopByHop.hasToken(rs.connection, "keep-alive");
      HopByHop.strip(r.headers(), rs, false);
      response = r;
      responseLength = HttpUtil.getContentLength(r, -1L);
      responseFromUpstream = true;
      status = code;
      beginResponsePhase();
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    if (msg instanceof HttpContent c) {
      if (tunnel) {
        c.release();
        return;
      }
      if (!responseFromUpstream) {
        c.release(); // upstream body after a filter replaced the response: not wanted
        if (c instanceof LastHttpContent) {
          upstreamDone();
        }
        return;
      }
      if (!responseHeadSent) {
        if (responseBacklog == null) {
          responseBacklog = new ArrayDeque<>(4);
        }
        if (c instanceof LastHttpContent) {
          upstreamResponseEnded = true; // a close of the connection now is no failure
          cancelReadTimeout();
        }
        responseBacklog.add(c);
        return;
      }
      forwardResponseContent(c);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Takes {@code t} as this attempt's target and gets a connection to it from this loop's pool. */
  private void connectTo(CompiledTarget t) {
    target = t;
    t.started();
    attemptOpen = true;
    loop.pool().acquire(t, route.upstream().config().connectTimeoutMs(), (conn, failure) -> {
      if (state == DONE || t != target) { // the exchange ended or moved on while connecting
        if (conn != null) {
          loop.pool().release(conn);
        }
        return;
      }
      if (failure != null) {
        upstreamFailed(failure, failure instanceof ConnectTimeoutException ? Failure.CONNECT_TIMEOUT : Failure.CONNECT);
        return;
      }
      attachUpstream(conn);
    });
  }

  void onUpstreamReadComplete() {
    if (responseHeadSent && state == ACTIVE) {
      client.channel().flush();
    }
  }

  void onClientWritabilityChanged(boolean writable) {
    if (writable) {
      if (upstream != null) {
        upstream.unblockRead(UpstreamConnection.BLOCK_CLIENT_BACKPRESSURE);
      }
      if (localStream != null) {
        localStream.resume();
      }
    }
  }

  private void forwardResponseContent(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    HttpContent out = c;
    if (responseTransformers != null) {
      try {
        out = transform(responseTransformers, c);
      } catch (RuntimeException e) {
        log.warn("a response body transformer failed on request {}", requestId, e);
        details = "response body transformer failed: " + e;
        abortUpstream();
        client.channel().close(); // the head is out: truncating is the only honest signal left
        finish();
        return;
      }
    }
    responseBytes += out.content().readableBytes();
    Channel ch = client.channel();
    if (last) {
      upstreamDone();
      responseComplete = true;
      writeLastAndFinish(out);
      return;
    }
    ch.write(out);
    if (!ch.isWritable() && upstream != null) {
      upstream.blockRead(UpstreamConnection.BLOCK_CLIENT_BACKPRESSURE);
    }
  }

  /** The upstream's response has ended: its connection goes back to the pool or is closed. */
  private void upstreamDone() {
    if (upstream == null) {
      return;
    }
    cancelReadTimeout();
    upstreamEndNanos = System.nanoTime();
    UpstreamConnection c = upstream;
    upstream = null;
    if (upstreamKeepAlive && requestComplete && (requestBacklog == null || requestBacklog.isEmpty())
        && c.channel().isActive()) {
      loop.pool().release(c);
    } else {
      if (!requestComplete) {
        closeClientAfter = true; // the rest of the request body will not be read
      }
      c.detach();
      c.channel().close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Response phase: the filter chain backwards, then the head to the client.

  private void beginResponsePhase() {
    responsePhase = true;
    if (runner == null) {
      sendResponseHead();
    } else {
      runner.startResponsePhase();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the chain runner reports.

  @Override
  public boolean ended() {
    return state == DONE;
  }

  @Override
  public void phasePassed(boolean requestPhase) {
    if (requestPhase) {
      proceedToUpstream();
    } else {
      sendResponseHead();
    }
  }

  @Override
  public void answer(LocalResponse response, String why) {
    respondLocal(response, why);
  }

  @Override
  public void waiting(boolean requestPhase) {
    if (requestPhase) {
      client.blockRead(BLOCK_WAITING); // unblocked once the request goes upstream or is answered
    } else if (upstream != null) {
      upstream.blockRead(UpstreamConnection.BLOCK_RESPONSE_FILTERS);
    }
  }

  @Override
  public void resumed(boolean requestPhase) {
    if (!requestPhase && upstream != null) {
      upstream.unblockRead(UpstreamConnection.BLOCK_RESPONSE_FILTERS);
    }
  }

  @Override
  public void watchDeadline() {
    loop.sweeper().watchExchange(this);
  }

  @Override
  public AttributeMap attributesForTrace() {
    return attributes;
  }

  @Override
  public void replaceResponse(LocalResponse lr, String why) {
    if (responseFromUpstream) {
      abortUpstream();
      responseFromUpstream = false;
      releaseBacklog(responseBacklog);
      responseBacklog = null;
    }
    releaseLocalBody();
    details = why;
    status = lr.status();
    response = localHead(lr);
    responseLength = HttpUtil.getContentLength(response, -1L);
  }

  private HttpResponse localHead(LocalResponse lr) {
    HttpResponse head;
    if (lr.body() == null && lr.stream() == null && lr.status() >= 400) {
      FullHttpResponse page = ErrorPages.render(client.channel().alloc(), lr.status(),
          request.headers().get(HttpHeaderNames.ACCEPT), requestId, headRequest);
      localBody = page.content();
      head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, page.status(), page.headers());
    } else {
      head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(lr.status()));
      if (lr.body() != null) {
        localBody = ((BufferInternal) lr.body()).getByteBuf();
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, localBody.readableBytes());
      } else if (lr.stream() != null) {
        localStream = lr.stream();
        if (lr.streamLength() >= 0) {
          head.headers().set(HttpHeaderNames.CONTENT_LENGTH, lr.streamLength());
        }
      } else {
        localBody = Unpooled.EMPTY_BUFFER;
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      }
    }
    for (Map.Entry<String, String> e : lr.headers()) {
      head.headers().add(e.getKey(), e.getValue());
    }
    return head;
  }

  private void sendResponseHead() {
    HttpResponse r = response;
    HttpHeaders h = r.headers();
    // The framing follows the body really sent, whatever the filters set.
    h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (responseTransformers != null || responseLength < 0) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
    } else {
      h.set(HttpHeaderNames.CONTENT_LENGTH, responseLength);
    }
    boolean bodyAllowed = !headRequest && status >= 200 && status != 204 && status != 304;
    boolean keepAlive = clientKeepAlive && !closeClientAfter && !server.isDraining();
    if (!client.isHttp2()) {
      if (bodyAllowed && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
          keepAlive = false; // HTTP/1.0 cannot read chunks: the end of the body is the end of the connection
        } else {
          HttpUtil.setTransferEncodingChunked(r, true);
        }
      }
      if (!keepAlive) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closeClientAfter = true;
      } else if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
    }
    h.set(HopByHop.X_REQUEST_ID, requestId);
    if (r.protocolVersion() != HttpVersion.HTTP_1_1) {
      r.setProtocolVersion(HttpVersion.HTTP_1_1); // we speak our own version to the client
    }
    if (trace != null) {
      trace.response(status, h);
    }
    client.channel().write(r);
    responseHeadSent = true;
    if (!responseFromUpstream) {
      sendLocalBody();
      return;
    }
    if (responseBacklog != null) {
      HttpContent c;
      while ((c = responseBacklog.poll()) != null && state == ACTIVE) {
        forwardResponseContent(c);
      }
    }
    if (state == ACTIVE && !readingUpstream) {
      client.channel().flush(); // else the upstream read in progress ends with one flush
    }
  }

  private void sendLocalBody() {
    if (localStream != null) {
      streamLocalBody();
      return;
    }
    ByteBuf body = localBody == null ? Unpooled.EMPTY_BUFFER : localBody;
    localBody = null;
    HttpContent out = new DefaultLastHttpContent(body);
    if (responseTransformers != null) {
      try {
        out = transform(responseTransformers, out);
      } catch (RuntimeException e) {
        log.warn("a response body transformer failed on request {}", requestId, e);
        out = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      }
    }
    responseBytes += out.content().readableBytes();
    responseComplete = true;
    writeLastAndFinish(out);
  }

  private void streamLocalBody() {
    ReadStream<Buffer> s = localStream;
    Channel ch = client.channel();
    s.exceptionHandler(e -> onLoop(() -> {
      if (state == ACTIVE) {
        details = (details == null ? "" : details + "; ") + "local response stream failed: " + e;
        ch.close();
        finish();
      }
    }));
    s.endHandler(v -> onLoop(() -> {
      if (state != ACTIVE) {
        return;
      }
      localStream = null;
      HttpContent out = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      if (responseTransformers != null) {
        out = transform(responseTransformers, out);
      }
      responseBytes += out.content().readableBytes();
      responseComplete = true;
      writeLastAndFinish(out);
    }));
    s.handler(buf -> onLoop(() -> {
      if (state != ACTIVE) {
        return;
      }
      HttpContent out = new DefaultHttpContent(Unpooled.wrappedBuffer(buf.getBytes()));
      if (responseTransformers != null) {
        out = transform(responseTransformers, out);
      }
      responseBytes += out.content().readableBytes();
      ch.writeAndFlush(out);
      if (!ch.isWritable()) {
        s.pause();
      }
    }));
  }

  private void onLoop(Runnable r) {
    if (loop.loop().inEventLoop()) {
      r.run();
    } else {
      loop.loop().execute(r);
    }
  }

  private void writeLastAndFinish(HttpContent last) {
    Channel ch = client.channel();
    if (closeClientAfter && !client.isHttp2()) {
      client.closeAfter(ch.writeAndFlush(last));
    } else {
      ch.writeAndFlush(last);
    }
    finish();
  }

  // ---------------------------------------------------------------------------------------------
  // Local responses and failures.

  /** Answers with a filter's response; the response phase runs for the filters before it. */
  private void respondLocal(LocalResponse lr, String why) {
    if (responseHeadSent) {
      details = why;
      client.channel().close();
      finish();
      return;
    }
    if (!requestComplete) {
      closeClientAfter = true;
    }
    client.unblockRead(BLOCK_WAITING);
    replaceResponse(lr, why);
    beginResponsePhase();
  }

  /** Frontdesk's own error response (no route, upstream down, …), with {@code why} for the log. */
  private void respondError(int code, String why) {
    respondLocal(LocalResponse.of(code, why), why);
  }

  /**
   * The one place where an upstream failure becomes a client answer: retry on another target when
   * {@link RetryDecision} allows, else 502 (could not connect, reset, broken response) or 504 (timeout).
   */
  private void upstreamFailed(Throwable cause, Failure kind) {
    cancelReadTimeout();
    String what = switch (kind) {
      case CONNECT -> "connect failed: " + cause.getMessage();
      case CONNECT_TIMEOUT -> "connect timed out";
      case RESET -> "closed the connection before answering";
      case TIMEOUT -> "timed out waiting for the response";
      case BAD_RESPONSE -> "sent a malformed response (" + cause.getMessage() + ")";
    };
    boolean stale = kind == Failure.RESET && reusedConnectionFailedEarly && !staleRetryUsed;
    // A pooled connection the target had closed while idle is not the target's fault.
    endAttempt(stale ? Outcome.NEUTRAL : Outcome.GATEWAY_FAILURE, -1);
    if (responseHeadSent) {
      details = "upstream " + target + " " + what + " after the response started";
      abortUpstream();
      client.channel().close();
      finish();
      return;
    }
    abortUpstream();
    CompiledTarget failed = target;
    RetryPolicy policy = route.upstream().config().retries();
    // Once a response head was taken, the target has acted on the request: never send it twice.
    RetryDecision.Verdict verdict = responseFromUpstream ? RetryDecision.Verdict.GIVE_UP
        : RetryDecision.afterFailure(kind, retryFacts(failed, stale), policy, this::takeRetryBudget);
    switch (verdict) {
      case RETRY_FRESH_CONNECTION -> {
        staleRetryUsed = true;
        log.debug("request {}: pooled connection to {} was stale; trying a fresh one", requestId, failed);
        retryOn(failed, false);
      }
      case RETRY_ANOTHER_TARGET -> {
        log.debug("request {}: upstream {} {}; retrying", requestId, failed, what);
        retryOn(failed, true);
      }
      case GIVE_UP -> {
        target = null;
        lastFailedTarget = failed;
        details = "upstream " + failed + " " + what + (retries > 0 ? " (after " + retries + " retries)" : "");
        if (!requestComplete) {
          closeClientAfter = true;
        }
        respondError(RetryDecision.status(kind), details);
      }
    }
  }

  private RetryDecision.Facts retryFacts(CompiledTarget failed, boolean stale) {
    return new RetryDecision.Facts(isIdempotent(), replayable(), retries, hasAnotherCandidate(failed), stale,
        requestComplete);
  }

  private boolean takeRetryBudget() {
    RetryPolicy p = route.upstream().config().retries();
    return route.upstream().state().tryRetry(p.budgetPercent(), p.minRetriesPerSecond());
  }

  /** @return whether a 502/503/504 from the target may be retried on another one */
  private boolean mayRetryStatus(int code) {
    return RetryDecision.afterStatus(code, retryFacts(target, false), route.upstream().config().retries(),
        this::takeRetryBudget);
  }

  private void retryAfterStatus(int code) {
    endAttempt(Outcome.HTTP_5XX, System.nanoTime() - upstreamStartNanos);
    CompiledTarget failed = target;
    abortUpstream();
    log.debug("request {}: upstream {} answered {}; retrying", requestId, failed, code);
    upstreamStatus = 0;
    retryOn(failed, true);
  }

  /**
   * Starts another attempt.
   *
   * @param counted a retry from the policy's budget (else a fresh connection after a stale one)
   */
  private void retryOn(CompiledTarget failed, boolean counted) {
    if (counted) {
      retries++;
      attemptIsRetry = true;
      if (tried == null) {
        tried = new ArrayList<>(2);
      }
      tried.add(failed);
    }
    reusedConnectionFailedEarly = false;
    if (trace != null) {
      trace.retry(failed.address(), counted ? "retry " + retries : "fresh connection");
    }
    if (counted) {
      target = null;
      proceedToUpstream();
    } else {
      // The same target again, on a new connection.
      connectTo(failed);
    }
  }

  /** Nothing was sent that could not be sent again. */
  private boolean replayable() {
    return !upgradeRequested && (!requestBodySent || !replayOverflow);
  }

  /** Closes the current attempt at the target, feeding its health state (once). */
  private void endAttempt(Outcome outcome, long latencyNanos) {
    if (!attemptOpen) {
      return;
    }
    attemptOpen = false;
    if (target != null) {
      target.ended(outcome, latencyNanos);
    }
    attemptIsRetry = false;
  }

  private boolean hasAnotherCandidate(CompiledTarget failed) {
    for (CompiledTarget t : route.upstream().targets()) {
      if (t != failed && t.hasCapacity() && (tried == null || !tried.contains(t))) {
        return true;
      }
    }
    return false;
  }

  private boolean isIdempotent() {
    HttpMethod m = request.method();
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
  }

  void onUpstreamClosed(UpstreamConnection conn, Throwable cause) {
    if (conn != upstream || state == DONE) {
      return;
    }
    if (tunnel) {
      return;
    }
    if (upstreamResponseEnded) {
      return; // the whole response is queued behind a response filter: the close ends nothing
    }
    // A pooled connection the target had already closed fails before any response byte: the
    // request never reached the target, so a fresh connection may try again.
    reusedConnectionFailedEarly = conn.reused() && response == null && !responseHeadSent && upstreamStatus == 0;
    upstreamFailed(cause != null ? cause : new IOException("connection closed by the target"), Failure.RESET);
  }

  /** The client went away (or reset its stream) before the exchange ended. */
  void onClientClosed() {
    if (state == DONE) {
      return;
    }
    if (!responseComplete) {
      status = 499;
      details = (details == null ? "" : details + "; ") + "client closed the connection";
    }
    endAttempt(Outcome.NEUTRAL, -1);
    abortUpstream();
    finish();
  }

  private void abortUpstream() {
    cancelReadTimeout();
    UpstreamConnection c = upstream;
    upstream = null;
    if (c != null) {
      c.detach();
      c.channel().close();
    }
  }

  private void startReadTimeout(long millis) {
    readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    loop.sweeper().watchExchange(this);
  }

  private void cancelReadTimeout() {
    readTimeoutNanos = 0;
    if (runner == null || !runner.watching()) {
      LoopSweeper.unwatch(this);
    }
  }

  /** The loop's sweeper: enforce the read timeout and a waiting filter's deadline. */
  @Override
  void sweep(long now) {
    if (state == DONE) {
      LoopSweeper.unwatch(this);
      return;
    }
    if (runner != null) {
      runner.sweep(now);
    }
    if (readTimeoutNanos != 0 && upstream != null && !tunnel && now - lastUpstreamActivityNanos >= readTimeoutNanos) {
      long millis = TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos);
      reusedConnectionFailedEarly = false;
      upstreamFailed(new java.util.concurrent.TimeoutException("read timeout after " + millis + " ms"), Failure.TIMEOUT);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Upgrades (WebSocket): after the target's 101, both connections become a byte tunnel.

  private void startTunnel(HttpResponse r101) {
    cancelReadTimeout();
    tunnel = true;
    status = 101;
    UpstreamConnection conn = upstream;
    upstream = null;
    responseHeadSent = true;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
        r101.headers().copy());
    head.headers().set("x-request-id", requestId);
    client.channel().writeAndFlush(head);
    releaseBacklog(requestBacklog);
    requestBacklog = null;
    client.startTunnel(conn.channel(), server.tunnelIdleTimeoutMillis(), () -> {
      responseComplete = true;
      onLoop(this::finish);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Body transformers.

  private HttpContent transform(List<BodyTransformer> transformers, HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    Buffer data = BufferInternal.buffer(c.content());
    ByteBuf bytes;
    try {
      for (BodyTransformer t : transformers) {
        Buffer out = t.transform(data);
        if (last) {
          Buffer tail = t.finish();
          if (tail != null && tail.length() > 0) {
            out = out == null ? tail : Buffer.buffer(out.length() + tail.length()).appendBuffer(out).appendBuffer(tail);
          }
        }
        data = out == null ? Buffer.buffer() : out;
      }
      // Copied: a transformer may hand back (a slice of) the input chunk, which is released below.
      bytes = Unpooled.copiedBuffer(((BufferInternal) data).getByteBuf());
    } finally {
      c.release();
    }
    return last ? new DefaultLastHttpContent(bytes, ((LastHttpContent) c).trailingHeaders())
        : new DefaultHttpContent(bytes);
  }

  private static void abortTransformers(List<BodyTransformer> ts) {
    if (ts == null) {
      return;
    }
    for (BodyTransformer t : ts) {
      try {
        t.abort();
      } catch (RuntimeException e) {
        log.debug("aborting a body transformer failed", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The end.

  private void finish() {
    if (state == DONE) {
      return;
    }
    state = DONE;
    readTimeoutNanos = 0;
    LoopSweeper.unwatch(this);
    if (upstream != null && !tunnel) {
      abortUpstream(); // an attempt still attached (the exchange was answered locally): nothing may reuse it
    }
    long latency = upstreamEndNanos > 0 ? upstreamEndNanos - upstreamStartNanos : -1;
    endAttempt(upstreamStatus >= 500 ? Outcome.HTTP_5XX : upstreamStatus > 0 || tunnel ? Outcome.SUCCESS : Outcome.NEUTRAL,
        latency);
    releaseBacklog(requestBacklog);
    releaseBacklog(replay);
    replay = null;
    releaseBacklog(responseBacklog);
    releaseLocalBody();
    if (localStream != null) {
      localStream.handler(null);
      localStream = null;
    }
    if (!responseComplete) {
      abortTransformers(requestTransformers);
      abortTransformers(responseTransformers);
    }
    if (runner != null) {
      runner.complete();
    }
    if (trace != null) {
      trace.done(this);
    }
    try {
      server.observer().completed(this);
    } catch (RuntimeException e) {
      log.warn("an exchange observer failed", e);
    }
    snapshot.exit();
    server.exchangeEnded();
    client.exchangeFinished(this, responseComplete && requestComplete && !closeClientAfter && !tunnel);
  }

  private static void releaseBacklog(ArrayDeque<HttpContent> q) {
    if (q != null) {
      HttpContent c;
      while ((c = q.poll()) != null) {
        c.release();
      }
    }
  }

  private void releaseLocalBody() {
    if (localBody != null) {
      ReferenceCountUtil.release(localBody);
      localBody = null;
    }
  }

  boolean isDone() {
    return state == DONE;
  }

  // ---------------------------------------------------------------------------------------------
  // The plugin API's view.

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public Instant startTime() {
    return Instant.ofEpochMilli(startMillis);
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public InetSocketAddress peerAddress() {
    return client.peer();
  }

  @Override
  public TlsInfo tls() {
    return client.tls();
  }

  @Override
  public String siteId() {
    return route == null ? null : route.site().site().id();
  }

  @Override
  public String siteName() {
    return route == null ? null : route.site().site().name();
  }

  @Override
  public String routeId() {
    return route == null ? null : route.route().id();
  }

  @Override
  public String routeName() {
    return route == null ? null : route.route().name();
  }

  @Override
  public String upstreamId() {
    return route == null ? null : route.upstream().config().id();
  }

  @Override
  public String upstreamName() {
    return route == null ? null : route.upstream().config().name();
  }

  @Override
  public String targetAddress() {
    CompiledTarget t = target != null ? target : lastFailedTarget;
    return t == null ? null : t.address();
  }

  @Override
  public String targetLiveKey() {
    CompiledTarget t = target != null ? target : lastFailedTarget;
    return t == null ? null : t.liveKey();
  }

  @Override
  public long responseBytes() {
    return responseBytes;
  }

  @Override
  public RequestHead request() {
    if (requestView == null) {
      requestView = new RequestView();
    }
    return requestView;
  }

  @Override
  public ResponseHead response() {
    if (response == null) {
      return null;
    }
    if (responseView == null) {
      responseView = new ResponseView();
    }
    return responseView;
  }

  @Override
  public Attributes attributes() {
    if (attributes == null) {
      attributes = new AttributeMap();
    }
    return attributes;
  }

  @Override
  public boolean isUpgrade() {
    return upgradeRequested;
  }

  /** @return the phase a filter is called in now, for the messages of refused calls */
  private String phase() {
    return state == DONE ? "the log phase (onComplete)" : responsePhase ? "the response phase" : "the request phase";
  }

  /** The request can change until its head goes upstream: in the request phase. */
  private void checkRequestChangeable() {
    if (responsePhase || state == DONE || upstreamStartNanos != 0) {
      throw new IllegalStateException("the request was sent upstream already: change it in onRequest, not in "
          + phase());
    }
  }

  /** The response can change until its head goes to the client: in the response phase. */
  private void checkResponseChangeable() {
    if (responseHeadSent || state == DONE) {
      throw new IllegalStateException("the response head was sent to the client already: change it in onResponse, "
          + "not in " + phase());
    }
  }

  @Override
  public void transformRequestBody(BodyTransformer transformer) {
    if (upstreamStartNanos != 0 || responsePhase || state == DONE) {
      throw new IllegalStateException("a request body transformer must be added in onRequest, before the body "
          + "goes upstream, not in " + phase());
    }
    if (requestTransformers == null) {
      requestTransformers = new ArrayList<>(2);
    }
    requestTransformers.add(GuardedTransformer.of(transformer, runner == null ? null : runner.calling()));
  }

  @Override
  public void transformResponseBody(BodyTransformer transformer) {
    if (!responsePhase || responseHeadSent || state == DONE) {
      throw new IllegalStateException("a response body transformer must be added in onResponse, before the "
          + "response head goes out, not in " + phase());
    }
    if (responseTransformers == null) {
      responseTransformers = new ArrayList<>(2);
    }
    responseTransformers.add(GuardedTransformer.of(transformer, runner == null ? null : runner.calling()));
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> work) {
    return loop.context().executeBlocking(work, false);
  }

  @Override
  public Vertx vertx() {
    return server.vertx();
  }

  // ---------------------------------------------------------------------------------------------
  // What observers see.

  @Override
  public CompiledRoute route() {
    return route;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public long durationNanos() {
    return System.nanoTime() - startNanos;
  }

  @Override
  public boolean traced() {
    return trace != null;
  }

  String details() {
    return details;
  }

  HttpRequest nettyRequest() {
    return request;
  }

  @Override
  public AccessLogRecord toRecord() {
    List<FilterTiming> timings = runner == null ? List.of() : runner.timings();
    Map<String, String> attrs = attributes == null ? Map.of() : attributes.logged();
    HttpHeaders h = request.headers();
    TlsInfo tls = client.tls();
    long upstreamMicros = upstreamEndNanos > 0 ? (upstreamEndNanos - upstreamStartNanos) / 1000 : -1;
    return AccessLogRecord.builder().timestamp(Instant.ofEpochMilli(startMillis)).node(server.nodeId())
        .requestId(requestId).site(route == null ? null : route.site().site().name())
        .route(route == null ? null : route.route().name())
        .upstream(route == null ? null : route.upstream().config().name()).target(targetAddress())
        .method(request.method().name()).scheme(client.scheme())
        .protocol(client.isHttp2() ? "HTTP/2" : clientVersion.text()).host(host).path(originalPath)
        .query(server.redactQuery(query)).status(status).requestBytes(requestBytes).responseBytes(responseBytes)
        .durationMicros(durationNanos() / 1000).upstreamMicros(upstreamMicros).clientIp(clientIp)
        .userAgent(h.get(HttpHeaderNames.USER_AGENT)).referer(h.get(HttpHeaderNames.REFERER))
        .tlsVersion(tls == null ? null : tls.protocol()).retries(retries).details(details).filters(timings)
        .attributes(attrs).build();
  }

  private BalancerContext balancerView() {
    if (balancerView == null) {
      balancerView = new BalancerContext() {
        @Override
        public String clientIp() {
          return clientIp;
        }

        @Override
        public String method() {
          return request.method().name();
        }

        @Override
        public String host() {
          return host;
        }

        @Override
        public String path() {
          return path;
        }

        @Override
        public String header(CharSequence name) {
          return request.headers().get(name);
        }
      };
    }
    return balancerView;
  }

  // ---------------------------------------------------------------------------------------------

  /** The request as filters see and change it. */
  private final class RequestView implements RequestHead {
    private final Headers headers = new NettyHeaders(request.headers(), ProxyExchange.this::checkRequestChangeable);

    @Override
    public String method() {
      return request.method().name();
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public void path(String p) {
      checkRequestChangeable();
      RequestTargets.checkPath(p);
      path = p;
      request.setUri(query == null ? path : path + "?" + query);
    }

    @Override
    public String query() {
      return query;
    }

    @Override
    public void query(String q) {
      checkRequestChangeable();
      RequestTargets.checkQuery(q);
      query = q;
      request.setUri(query == null ? path : path + "?" + query);
    }

    @Override
    public String host() {
      return host;
    }

    @Override
    public String scheme() {
      return client.scheme();
    }

    @Override
    public String protocol() {
      return client.isHttp2() ? "HTTP/2" : clientVersion.text();
    }

    @Override
    public Headers headers() {
      return headers;
    }
  }

  /** The response as filters see and change it. */
  private final class ResponseView implements ResponseHead {
    private HttpResponse viewed;
    private Headers headers;

    @Override
    public int status() {
      return status;
    }

    @Override
    public void status(int s) {
      checkResponseChangeable();
      if (s < 200 || s > 599) {
        throw new IllegalArgumentException("status must be 200..599");
      }
      status = s;
      response.setStatus(HttpResponseStatus.valueOf(s));
    }

    @Override
    public Headers headers() {
      if (viewed != response) { // a filter may have replaced the response
        viewed = response;
        headers = new NettyHeaders(response.headers(), ProxyExchange.this::checkResponseChangeable);
      }
      return headers;
    }
  }
}
