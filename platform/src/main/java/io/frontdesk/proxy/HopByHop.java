package io.frontdesk.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Connection-specific ("hop-by-hop") headers, which a proxy must not forward. Found in one pass
 * over the headers instead of a hash lookup per name.
 */
final class HopByHop {

  static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
  static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");
  static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");

  /**
   * Other headers that claim to say who the client is or what it asked for. Believed from trusted
   * proxies only; from anyone else they are removed, so a backend never acts on a client's claim.
   */
  static final AsciiString[] CLAIMS = Stream.of("forwarded", "x-forwarded-port", "x-forwarded-prefix",
      "x-forwarded-server", "x-forwarded-scheme", "x-forwarded-ssl", "x-forwarded-by", "x-forwarded",
      "forwarded-for", "x-original-url", "x-rewrite-url", "x-original-host", "x-original-forwarded-for", "x-host",
      "true-client-ip", "x-client-ip", "client-ip", "x-cluster-client-ip", "cf-connecting-ip", "fastly-client-ip",
      "x-proxyuser-ip", "x-url-scheme", "front-end-https").map(AsciiString::cached).toArray(AsciiString[]::new);
  private static final AsciiString[][] CLAIMS_BY_LENGTH = byLength(CLAIMS);

  /** What a header scan found. */
  static final class Scan {
    /** The Connection header's value, or null. */
    String connection;
    boolean hasHopByHop;
    boolean hasForwardedFor;
    boolean hasForwardedProto;
    boolean hasForwardedHost;
    boolean hasRequestId;
    boolean hasUpgrade;
    boolean hasExpect;
    boolean hasHttp2Extension;
    /** Other forwarding claims ({@link #CLAIMS}) are present. */
    boolean hasClaims;
    /** A header name has an underscore (CGI-style backends read {@code X_Forwarded_For} as X-Forwarded-For). */
    boolean hasUnderscoreName;
    int hostCount;
    /** The Transfer-Encoding header's values joined by commas, or null. */
    String transferEncoding;
  }

  private static AsciiString[][] byLength(AsciiString[] names) {
    int max = 0;
    for (AsciiString n : names) {
      max = Math.max(max, n.length());
    }
    AsciiString[][] out = new AsciiString[max + 1][];
    for (AsciiString n : names) {
      AsciiString[] old = out[n.length()];
      AsciiString[] grown = old == null ? new AsciiString[1] : Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = n;
      out[n.length()] = grown;
    }
    return out;
  }

  private static boolean isClaim(CharSequence n) {
    if (n.length() >= CLAIMS_BY_LENGTH.length || CLAIMS_BY_LENGTH[n.length()] == null) {
      return false;
    }
    for (AsciiString c : CLAIMS_BY_LENGTH[n.length()]) {
      if (c.contentEqualsIgnoreCase(n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasUnderscore(CharSequence n) {
    for (int i = 0; i < n.length(); i++) {
      if (n.charAt(i) == '_') {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes headers whose names are forwarding headers spelt with underscores ({@code
   * X_Forwarded_For}): never sent by a proxy, but read as the real thing by CGI-style backends.
   */
  static void removeUnderscoreSpellings(HttpHeaders h) {
    java.util.List<String> doomed = null;
    for (String name : h.names()) {
      if (name.indexOf('_') < 0) {
        continue;
      }
      String dashed = name.replace('_', '-');
      if (isClaim(dashed) || X_FORWARDED_FOR.contentEqualsIgnoreCase(dashed) || X_FORWARDED_PROTO.contentEqualsIgnoreCase(dashed)
          || X_FORWARDED_HOST.contentEqualsIgnoreCase(dashed) || X_REAL_IP.contentEqualsIgnoreCase(dashed)
          || X_REQUEST_ID.contentEqualsIgnoreCase(dashed)) {
        if (doomed == null) {
          doomed = new java.util.ArrayList<>(2);
        }
        doomed.add(name);
      }
    }
    if (doomed != null) {
      doomed.forEach(h::remove);
    }
  }

  /** Removes every {@link #CLAIMS} header. */
  static void removeClaims(HttpHeaders h) {
    for (AsciiString c : CLAIMS) {
      h.remove(c);
    }
  }

  private HopByHop() {
  }

  static Scan scan(HttpHeaders h, Scan out) {
    Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence n = e.getKey();
      switch (n.length()) {
        case 2 -> out.hasHopByHop |= eq(n, HttpHeaderNames.TE);
        case 4 -> {
          if (eq(n, HttpHeaderNames.HOST)) {
            out.hostCount++;
          }
        }
        case 14 -> out.hasHopByHop |= eq(n, HTTP2_SETTINGS);
        case 6 -> out.hasExpect |= eq(n, HttpHeaderNames.EXPECT);
        case 7 -> {
          if (eq(n, HttpHeaderNames.UPGRADE)) {
            out.hasUpgrade = true;
            out.hasHopByHop = true;
          } else if (eq(n, HttpHeaderNames.TRAILER)) {
            out.hasHopByHop = true;
          }
        }
        case 10 -> {
          if (eq(n, HttpHeaderNames.CONNECTION)) {
            out.connection = out.connection == null ? e.getValue().toString() : out.connection + "," + e.getValue();
            out.hasHopByHop = true;
          } else if (eq(n, HttpHeaderNames.KEEP_ALIVE)) {
            out.hasHopByHop = true;
          }
        }
        case 12 -> out.hasRequestId |= eq(n, X_REQUEST_ID);
        case 15 -> out.hasForwardedFor |= eq(n, X_FORWARDED_FOR);
        case 16 -> {
          if (eq(n, X_FORWARDED_HOST)) {
            out.hasForwardedHost = true;
          } else if (eq(n, PROXY_CONNECTION)) {
            out.hasHopByHop = true;
          }
        }
        case 17 -> {
          if (eq(n, X_FORWARDED_PROTO)) {
            out.hasForwardedProto = true;
          } else if (eq(n, HttpHeaderNames.TRANSFER_ENCODING)) {
            out.hasHopByHop = true;
            String v = e.getValue().toString();
            out.transferEncoding = out.transferEncoding == null ? v : out.transferEncoding + "," + v;
          }
        }
        case 19 -> out.hasHopByHop |= eq(n, HttpHeaderNames.PROXY_AUTHORIZATION);
        default -> {
        }
      }
      if (n.length() > 7 && n.charAt(0) == 'x' && n.charAt(1) == '-' && n.charAt(2) == 'h' && startsWith(n, "x-http2-")) {
        out.hasHttp2Extension = true;
      }
      if (!out.hasClaims && isClaim(n)) {
        out.hasClaims = true;
      }
      if (!out.hasUnderscoreName && hasUnderscore(n)) {
        out.hasUnderscoreName = true;
      }
    }
    return out;
  }

  /**
   * Removes the hop-by-hop headers, including those the Connection header names.
   *
   * @param keepUpgrade keep {@code Upgrade} (a protocol switch is being proxied)
   */
  static void strip(HttpHeaders h, Scan s, boolean keepUpgrade) {
    if (!s.hasHopByHop) {
      return;
    }
    if (s.connection != null) {
      for (String token : s.connection.split(",")) {
        String t = token.trim();
        if (!t.isEmpty() && !t.equalsIgnoreCase("close") && !t.equalsIgnoreCase("keep-alive")
            && !t.equalsIgnoreCase("upgrade")) {
          h.remove(t);
        }
      }
      h.remove(HttpHeaderNames.CONNECTION);
    }
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(PROXY_CONNECTION);
    h.remove(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.TRAILER);
    h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    h.remove(HTTP2_SETTINGS);
    if (!keepUpgrade) {
      h.remove(HttpHeaderNames.UPGRADE);
    }
  }

  /** @return whether a Connection header value contains {@code token} */
  static boolean hasToken(String connection, String token) {
    if (connection == null) {
      return false;
    }
    int from = 0;
    while (true) {
      int comma = connection.indexOf(',', from);
      String t = (comma < 0 ? connection.substring(from) : connection.substring(from, comma)).trim();
      if (t.equalsIgnoreCase(token)) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      from = comma + 1;
    }
  }

  private static boolean eq(CharSequence a, AsciiString b) {
    return b.contentEqualsIgnoreCase(a);
  }

  private static boolean startsWith(CharSequence s, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(s.charAt(i)) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Removes the fields Netty's HTTP/2 conversion adds (they are not the client's). */
  static void removeHttp2Extensions(HttpHeaders h) {
    h.remove("x-http2-stream-id");
    h.remove("x-http2-scheme");
    h.remove("x-http2-path");
    h.remove("x-http2-stream-weight");
    h.remove("x-http2-stream-dependency-id");
  }
}
