package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes any record the proxy (or a plugin, through attributes) produced fit the {@code access_log}
 * columns, so PostgreSQL never refuses it: required text gets what is known or {@code "-"}; NUL
 * characters and unpaired surrogates (which text and jsonb refuse) are removed from every string;
 * long text is cut to the length the store keeps; numbers are clamped to their column types.
 * A malformed request (answered 400 before its path was known) is stored like any other.
 */
final class StorableRecord {

  /** What required text columns hold when the value is unknown. */
  static final String UNKNOWN = "-";
  static final int MAX_ATTRIBUTES = 64;
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-01-01T00:00:00Z");

  private StorableRecord() {
  }

  /** @return {@code r} itself when it fits already (nearly always), else a fitted copy */
  static AccessLogRecord of(AccessLogRecord r) {
    Instant ts = r.timestamp() == null || r.timestamp().isBefore(EARLIEST) || r.timestamp().isAfter(LATEST)
        ? Instant.now() : r.timestamp();
    String node = required(r.node(), 255);
    String requestId = required(r.requestId(), 255);
    String site = text(r.site(), 255);
    String route = text(r.route(), 255);
    String upstream = text(r.upstream(), 255);
    String target = text(r.target(), 255);
    String method = required(r.method(), 32);
    String scheme = text(r.scheme(), 16);
    String protocol = text(r.protocol(), 32);
    String host = text(r.host(), 255);
    String path = required(r.path(), 4096);
    String query = text(r.query(), 4096);
    String clientIp = r.clientIp() == null
        || !io.frontdesk.net.IpLiteral.isIpv4(r.clientIp()) && io.frontdesk.net.IpLiteral.parse(r.clientIp()) == null
        ? null : r.clientIp();
    String userAgent = text(r.userAgent(), 1024);
    String referer = text(r.referer(), 2048);
    String tlsVersion = text(r.tlsVersion(), 32);
    String details = text(r.details(), 1024);
    List<FilterTiming> filters = filters(r.filters());
    Map<String, String> attributes = attributes(r.attributes());
    int status = clamp(r.status(), 0, 999);
    int retries = clamp(r.retries(), 0, Short.MAX_VALUE);
    boolean fits = ts == r.timestamp() && node == r.node() && requestId == r.requestId() && site == r.site()
        && route == r.route() && upstream == r.upstream() && target == r.target() && method == r.method()
        && scheme == r.scheme() && protocol == r.protocol() && host == r.host() && path == r.path()
        && query == r.query() && clientIp == r.clientIp() && userAgent == r.userAgent() && referer == r.referer()
        && tlsVersion == r.tlsVersion() && details == r.details() && filters == r.filters()
        && attributes == r.attributes() && status == r.status() && retries == r.retries() && r.requestBytes() >= 0
        && r.responseBytes() >= 0 && r.durationMicros() >= 0 && r.upstreamMicros() >= -1;
    if (fits) {
      return r;
    }
    return AccessLogRecord.builder().timestamp(ts).node(node).requestId(requestId).site(site).route(route)
        .upstream(upstream).target(target).method(method).scheme(scheme).protocol(protocol).host(host).path(path)
        .query(query).status(status).requestBytes(Math.max(0, r.requestBytes()))
        .responseBytes(Math.max(0, r.responseBytes())).durationMicros(Math.max(0, r.durationMicros()))
        .upstreamMicros(Math.max(-1, r.upstreamMicros())).clientIp(clientIp).userAgent(userAgent).referer(referer)
        .tlsVersion(tlsVersion).retries(retries).details(details).filters(filters).attributes(attributes).build();
  }

  /** @return {@code in} itself when every timing fits */
  private static List<FilterTiming> filters(List<FilterTiming> in) {
    boolean fits = true;
    for (FilterTiming f : in) {
      fits &= f != null && f.plugin() != null && !f.plugin().isEmpty() && text(f.plugin(), 255) == f.plugin()
          && f.requestMicros() >= 0 && f.responseMicros() >= 0 && text(f.outcome(), 255) == f.outcome();
    }
    if (fits) {
      return in;
    }
    List<FilterTiming> out = new ArrayList<>(in.size());
    for (FilterTiming f : in) {
      if (f != null) {
        out.add(new FilterTiming(required(f.plugin(), 255), Math.max(0, f.requestMicros()),
            Math.max(0, f.responseMicros()), text(f.outcome(), 255)));
      }
    }
    return out;
  }

  /** @return {@code in} itself when every attribute fits */
  private static Map<String, String> attributes(Map<String, String> in) {
    boolean fits = in.size() <= MAX_ATTRIBUTES;
    for (Map.Entry<String, String> e : in.entrySet()) {
      String k = e.getKey();
      fits &= k != null && !k.isEmpty() && text(k, 255) == k && e.getValue() != null
          && text(e.getValue(), 4096) == e.getValue();
    }
    if (fits) {
      return in;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : in.entrySet()) {
      String k = text(e.getKey(), 255);
      if (k != null && !k.isEmpty() && out.size() < MAX_ATTRIBUTES) {
        out.put(k, e.getValue() == null ? "" : text(e.getValue(), 4096));
      }
    }
    return out;
  }

  private static String required(String s, int max) {
    String t = text(s, max);
    return t == null || t.isEmpty() ? UNKNOWN : t;
  }

  /** Without NULs and unpaired surrogates, at most {@code max} chars, never ending in half a pair. */
  static String text(String s, int max) {
    if (s == null) {
      return null;
    }
    if (s.length() <= max && isClean(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        continue;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) && sb.length() + 2 <= max) {
          sb.append(c).append(s.charAt(++i));
        } else if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          break; // the pair does not fit
        }
        continue;
      }
      if (!Character.isLowSurrogate(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isClean(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static int clamp(int v, int min, int max) {
    return Math.max(min, Math.min(max, v));
  }
}
