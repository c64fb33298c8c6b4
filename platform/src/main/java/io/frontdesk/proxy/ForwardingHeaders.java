package io.frontdesk.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Turns the client's headers into the ones that go upstream: hop-by-hop headers out, the
 * {@code X-Forwarded-*}, {@code X-Real-IP} and {@code X-Request-Id} headers in. Only a trusted
 * proxy's forwarding headers survive.
 */
final class ForwardingHeaders {

  private ForwardingHeaders() {}

  /**
   * @param hostHeader the validated Host ({@code ""}: an HTTP/1.0 request without one)
   * @param upgrade whether the client asked for an upgrade this proxy passes on
   */
  static void apply(HttpHeaders h, HopByHop.Scan scan, boolean trusted, boolean upgrade, ConnectionFacts conn,
      String hostHeader, String clientIp, String requestId) {
    HopByHop.strip(h, scan, upgrade);
    if (scan.hasHopByHop) {
      h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    }
    if (upgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    if (scan.hasHttp2Extension) {
      HopByHop.removeHttp2Extensions(h);
    }
    if (!trusted && scan.hasClaims) {
      HopByHop.removeClaims(h);
    }
    if (scan.hasUnderscoreName) {
      HopByHop.removeUnderscoreSpellings(h);
    }
    String peerIp = conn.peerIp();
    if (trusted && scan.hasForwardedFor) {
      h.set(HopByHop.X_FORWARDED_FOR, String.join(", ", h.getAll(HopByHop.X_FORWARDED_FOR)) + ", " + peerIp);
    } else {
      h.set(HopByHop.X_FORWARDED_FOR, peerIp);
    }
    if (!trusted || !scan.hasForwardedProto) {
      h.set(HopByHop.X_FORWARDED_PROTO, conn.scheme());
    }
    if (!trusted || !scan.hasForwardedHost) {
      if (!hostHeader.isEmpty()) {
        h.set(HopByHop.X_FORWARDED_HOST, hostHeader);
      } else {
        h.remove(HopByHop.X_FORWARDED_HOST);
      }
    }
    if (!trusted || !h.contains(HopByHop.X_FORWARDED_PORT)) {
      h.set(HopByHop.X_FORWARDED_PORT, conn.localPort());
    }
    h.set(HopByHop.X_REAL_IP, clientIp);
    h.set(HopByHop.X_REQUEST_ID, requestId);
  }
}
