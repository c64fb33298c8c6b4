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

  static AccessLogRecord of(AccessLogRecord r) {
    Instant ts = r.timestamp() == null || r.timestamp().isBefore(EARLIEST) || r.timestamp().isAfter(LATEST)
        ? Instant.now() : r.timestamp();
    return AccessLogRecord.builder().timestamp(ts).node(required(r.node(), 255))
        .requestId(required(r.requestId(), 255)).site(text(r.site(), 255)).route(text(r.route(), 255))
        .upstream(text(r.upstream(), 255)).target(text(r.target(), 255)).method(required(r.method(), 32))
        .scheme(text(r.scheme(), 16)).protocol(text(r.protocol(), 32)).host(text(r.host(), 255))
        .path(required(r.path(), 4096)).query(text(r.query(), 4096)).status(clamp(r.status(), 0, 999))
        .requestBytes(Math.max(0, r.requestBytes())).responseBytes(Math.max(0, r.responseBytes()))
        .durationMicros(Math.max(0, r.durationMicros())).upstreamMicros(Math.max(-1, r.upstreamMicros()))
        .clientIp(r.clientIp() == null || io.frontdesk.net.IpLiteral.parse(r.clientIp()) == null ? null : r.clientIp())
        .userAgent(text(r.userAgent(), 1024)).referer(text(r.referer(), 2048))
        .tlsVersion(text(r.tlsVersion(), 32)).retries(clamp(r.retries(), 0, Short.MAX_VALUE))
        .details(text(r.details(), 1024)).filters(filters(r.filters())).attributes(attributes(r.attributes()))
        .build();
  }

  private static List<FilterTiming> filters(List<FilterTiming> in) {
    List<FilterTiming> out = new ArrayList<>(in.size());
    for (FilterTiming f : in) {
      if (f != null) {
        out.add(new FilterTiming(required(f.plugin(), 255), Math.max(0, f.requestMicros()),
            Math.max(0, f.responseMicros()), text(f.outcome(), 255)));
      }
    }
    return out;
  }

  private static Map<String, String> attributes(Map<String, String> in) {
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
