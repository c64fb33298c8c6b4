package io.frontdesk.proxy;

import io.frontdesk.accesslog.RequestIds;
import io.frontdesk.config.RequestPolicy;
import io.frontdesk.routing.HostPattern;
import io.frontdesk.routing.PathNormalizer;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.function.Predicate;

/**
 * A request head as it came in, checked and made ready to forward: who sent it, how its body is
 * framed (RFC 9112 6), where it goes (host, path, query) and which headers travel on. Each check
 * returns {@code null} to go on or the {@link Refusal} to answer with; the facts it finds stay
 * here for the exchange, its views and its log record. Pure over the head: no channels.
 */
final class RequestIntake {

  /** A refused head: the status to answer, why (for the log), and whether the connection closes after. */
  record Refusal(int status, String why, boolean close) {
  }

  private final HttpRequest request;
  private final boolean http2;
  private final boolean headRequest;
  private final HttpVersion version;
  private boolean keepAlive;
  private String requestId;
  private String clientIp;
  private String host;
  private String hostHeader;
  private String originalPath;
  private String path;
  private String query;
  /** The request target and headers as the client sent them; kept only when filters may ask. */
  private String clientTarget;
  private HttpHeaders clientHeaders;
  private String clientHost;
  private boolean chunked;
  private long declaredLength = -1;
  /** The framing checks passed: where the body ends is known. */
  private boolean framed;
  /** The request had both framing headers: the connection closes after it (RFC 9112 6.3). */
  private boolean closeAfter;
  private boolean expectContinue;
  private boolean upgradeRequested;
  private String upgradeProtocol;
  private long maxBodyBytes;

  RequestIntake(HttpRequest request, boolean http2) {
    this.request = request;
    this.http2 = http2;
    this.headRequest = HttpMethod.HEAD.equals(request.method());
    this.version = request.protocolVersion();
  }

  /**
   * Runs the head's checks in order: decoding, framing, the target, the forwarding headers, Expect.
   *
   * @return the first refusal, or {@code null} when the head may be routed
   */
  Refusal check(HopByHop.Scan scan, ConnectionFacts conn, TrustedProxies proxies) {
    return check(scan, conn, proxies, host -> false);
  }

  /** @param keepClientView whether the host's filters may read the headers as received (then copied) */
  Refusal check(HopByHop.Scan scan, ConnectionFacts conn, TrustedProxies proxies, Predicate<String> keepClientView) {
    boolean trusted = proxies.trusts(conn.peer());
    readConnection(scan);
    identify(scan, trusted, conn.peerIp(), proxies);
    Refusal r = checkDecoding();
    if (r == null) {
      r = checkFraming(scan);
    }
    if (r != null) {
      return r;
    }
    framed = true;
    r = parseTarget();
    if (r != null) {
      return r;
    }
    if (keepClientView.test(host)) {
      clientHeaders = ClientRequestView.copyOf(request.headers(), clientHost, http2); // before forwarding
    }
    upgradeRequested = !http2 && scan.hasUpgrade && HopByHop.hasToken(scan.connection, "upgrade");
    ForwardingHeaders.apply(request.headers(), scan, trusted, upgradeRequested, conn, hostHeader, clientIp, requestId);
    return checkExpect(scan);
  }

  /** Reads the client's wish to keep the connection (never on HTTP/2: streams are not reused). */
  void readConnection(HopByHop.Scan scan) {
    keepAlive = !http2 && (version.isKeepAliveDefault()
        ? !HopByHop.hasToken(scan.connection, "close") : HopByHop.hasToken(scan.connection, "keep-alive"));
  }

  /**
   * Finds the client's address and the request id: a trusted proxy's {@code X-Forwarded-For} and
   * {@code X-Request-Id} are believed, anyone else's are not.
   */
  void identify(HopByHop.Scan scan, boolean trusted, String peerIp, TrustedProxies proxies) {
    clientIp = peerIp;
    if (trusted && scan.hasForwardedFor) {
      String c = proxies.clientFrom(request.headers().getAll(HopByHop.X_FORWARDED_FOR));
      if (c != null) {
        clientIp = c;
      }
    }
    if (trusted && scan.hasRequestId) {
      String incoming = request.headers().get(HopByHop.X_REQUEST_ID);
      if (RequestIds.acceptable(incoming)) {
        requestId = incoming;
        return;
      }
    }
    requestId = RequestIds.next();
  }

  /** The decoder could not read the head: 414, 431, 413 or 400, and the connection closes. */
  Refusal checkDecoding() {
    if (!request.decoderResult().isFailure()) {
      return null;
    }
    originalPath = truncate(request.uri());
    Throwable cause = request.decoderResult().cause();
    int code = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431
        : cause instanceof TooLongFrameException ? 413 : 400;
    return new Refusal(code, "malformed request: " + cause.getMessage(), true);
  }

  /**
   * How the body is framed (RFC 9112 6): one Host, {@code chunked} as the only transfer coding, and
   * a connection that closes after a request that had both framing headers. Refuses (400/501, and
   * the connection closes) when the body's length cannot be known.
   */
  Refusal checkFraming(HopByHop.Scan scan) {
    if (http2) {
      // HTTP/2 frames the body itself; the stream codec marks a body that may follow as chunked.
      chunked = HttpUtil.isTransferEncodingChunked(request);
      return chunked ? null : readContentLength();
    }
    if (scan.hostCount > 1) {
      return framing(400, "more than one Host header");
    }
    if (scan.transferEncoding == null) {
      return readContentLength();
    }
    String[] codings = scan.transferEncoding.split(",", -1);
    String last = codings[codings.length - 1].trim();
    if (version.equals(HttpVersion.HTTP_1_0)) {
      return framing(400, "Transfer-Encoding in an HTTP/1.0 request");
    }
    if (!last.equalsIgnoreCase("chunked")) {
      return framing(400, "the final transfer coding is '" + truncate(last)
          + "', not chunked: the body's length is unknown");
    }
    if (codings.length > 1) {
      return framing(501, "unsupported transfer coding in '" + truncate(scan.transferEncoding) + "'");
    }
    chunked = true;
    closeAfter = DecodedRequestHeaders.hadLengthAndChunked(request.headers());
    return null;
  }

  private Refusal readContentLength() {
    try {
      declaredLength = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      declaredLength = -1;
    }
    if (declaredLength < -1 || (declaredLength == -1 && request.headers().contains(HttpHeaderNames.CONTENT_LENGTH))) {
      return framing(400, "invalid Content-Length");
    }
    return null;
  }

  /** The body's end cannot be found: answer, and read nothing more from this connection. */
  private static Refusal framing(int code, String why) {
    return new Refusal(code, why, true);
  }

  /** Splits the request target into host, path and query; refuses a target it cannot use. */
  Refusal parseTarget() {
    String uri = request.uri();
    String rawPath;
    hostHeader = request.headers().get(HttpHeaderNames.HOST);
    clientHost = hostHeader;
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
      if (hostHeader != null && !sameHost(hostHeader, authority)) {
        return new Refusal(400, "Host '" + truncate(hostHeader) + "' differs from the request target's authority '"
            + truncate(authority) + "'", true);
      }
      hostHeader = authority;
      request.headers().set(HttpHeaderNames.HOST, hostHeader);
      rawPath = end == uri.length() ? "/" : uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end);
    } else {
      originalPath = truncate(uri);
      return new Refusal(400, "unsupported request target '" + truncate(uri) + "'", true);
    }
    clientTarget = rawPath;
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
      return new Refusal(400, "invalid path '" + truncate(p) + "'", true);
    }
    path = originalPath;
    if (hostHeader == null) {
      if (!version.equals(HttpVersion.HTTP_1_0) || http2) {
        return new Refusal(400, "the request has no Host header", false);
      }
      hostHeader = "";
    }
    host = hostHeader.isEmpty() ? "" : HostPattern.fromHeader(hostHeader);
    if (host == null) {
      host = truncate(hostHeader);
      return new Refusal(400, "invalid Host header '" + truncate(hostHeader) + "'", false);
    }
    return null;
  }

  private static boolean sameHost(String a, String b) {
    String ha = HostPattern.fromHeader(a);
    return ha != null && ha.equals(HostPattern.fromHeader(b));
  }

  static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /**
   * {@code Expect: 100-continue} is Frontdesk's to answer (once the filters accept the request), so
   * it is not forwarded; any other expectation is refused with 417.
   */
  Refusal checkExpect(HopByHop.Scan scan) {
    String expect = scan.hasExpect ? request.headers().get(HttpHeaderNames.EXPECT) : null;
    if (expect == null) {
      return null;
    }
    if (!expect.trim().equalsIgnoreCase("100-continue")) {
      return new Refusal(417, "unsupported Expect: " + expect, true);
    }
    expectContinue = version.compareTo(HttpVersion.HTTP_1_1) >= 0;
    request.headers().remove(HttpHeaderNames.EXPECT);
    return null;
  }

  /** What the matched route accepts: unusual path forms, the body's size, upgrades. */
  Refusal checkRoutePolicy(RequestPolicy policy, String routeName, long defaultMaxBodyBytes) {
    int forms = PathNormalizer.unusualForms(originalPath);
    if ((forms & PathNormalizer.SLASH_FORMS) != 0 && !policy.allowEncodedSlashes()) {
      return new Refusal(400, "the path has an escaped slash or a backslash (route '" + routeName
          + "' does not set allowEncodedSlashes)", false);
    }
    if ((forms & PathNormalizer.PATH_PARAMETERS) != 0 && !policy.allowPathParameters()) {
      return new Refusal(400, "the path has ';' parameters (route '" + routeName
          + "' does not set allowPathParameters)", false);
    }
    maxBodyBytes = policy.maxRequestBodyBytes() > 0 ? policy.maxRequestBodyBytes() : defaultMaxBodyBytes;
    if (maxBodyBytes > 0 && declaredLength > maxBodyBytes) {
      return new Refusal(413, "request body of " + declaredLength + " bytes is over the limit of " + maxBodyBytes,
          true);
    }
    if (upgradeRequested) {
      chooseUpgrade(policy);
    }
    return null;
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

  /** Sets the path the upstream gets (a route's rewrite, a filter's change) into the request line. */
  void forwardPath(String p) {
    path = p;
    request.setUri(query == null ? path : path + "?" + query);
  }

  /** Sets the query the upstream gets ({@code null}: none) into the request line. */
  void forwardQuery(String q) {
    query = q;
    request.setUri(query == null ? path : path + "?" + query);
  }

  /**
   * Frames the upstream request for the body really sent, not the headers a filter may have set:
   * a request without a body carries no framing, a length stays the client's length.
   *
   * @param transformed a request body transformer changes the body (its length is unknown)
   * @return whether a body follows the head
   */
  boolean frameUpstream(HttpRequest head, boolean transformed) {
    if (chunked || (transformed && hasBody())) {
      HttpUtil.setTransferEncodingChunked(head, true); // also removes Content-Length
    } else {
      head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      if (declaredLength >= 0) {
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, declaredLength);
      } else {
        head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      }
    }
    return hasBody();
  }

  /** @return whether the request has a body (which may still be empty when chunked) */
  boolean hasBody() {
    return chunked || declaredLength > 0;
  }

  HttpRequest request() {
    return request;
  }

  boolean http2() {
    return http2;
  }

  boolean headRequest() {
    return headRequest;
  }

  HttpVersion version() {
    return version;
  }

  /** @return the protocol as the access log and filters name it */
  String protocol() {
    return http2 ? "HTTP/2" : version.text();
  }

  boolean keepAlive() {
    return keepAlive;
  }

  String requestId() {
    return requestId;
  }

  String clientIp() {
    return clientIp;
  }

  String host() {
    return host;
  }

  /** @return the Host the client sent ("" for an HTTP/1.0 request without one), or {@code null} */
  String hostHeader() {
    return hostHeader;
  }

  /** @return the request target as received, or {@code null} when the client's view was not kept */
  String clientTarget() {
    return clientTarget;
  }

  /** @return the headers as received, or {@code null} when the client's view was not kept */
  HttpHeaders clientHeaders() {
    return clientHeaders;
  }

  /** @return the normalised path the client asked for (what routing and the access log see) */
  String originalPath() {
    return originalPath;
  }

  /** @return the path the upstream gets */
  String path() {
    return path;
  }

  String query() {
    return query;
  }

  boolean chunked() {
    return chunked;
  }

  /** @return whether the framing checks passed (where the body ends is known) */
  boolean framed() {
    return framed;
  }

  /** @return the client's Content-Length, or -1 */
  long declaredLength() {
    return declaredLength;
  }

  boolean closeAfter() {
    return closeAfter;
  }

  boolean expectContinue() {
    return expectContinue;
  }

  boolean upgradeRequested() {
    return upgradeRequested;
  }

  /** @return the protocol of an upgrade the route allows, or {@code null} */
  String upgradeProtocol() {
    return upgradeProtocol;
  }

  /** @return the most body bytes the route accepts (0: no limit) */
  long maxBodyBytes() {
    return maxBodyBytes;
  }
}
