package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.net.IpLiteral;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes access-log rows in PostgreSQL's binary COPY format, in the order of
 * {@link AccessLogStore#COLUMNS}: typed values as the server keeps them, so it parses no text
 * (timestamps, addresses and numbers arrive ready) and nothing needs escaping. One instance
 * reuses its buffer; it is not shared between threads.
 */
final class CopyEncoder {

  private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
      0, 0, 0, 0, 0, 0, 0, 0};
  private static final int FIELDS = 27;
  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
  /** PostgreSQL's own address family numbers (not the OS's). */
  private static final byte PGSQL_AF_INET = 2;
  private static final byte PGSQL_AF_INET6 = 3;
  private static final byte JSONB_VERSION = 1;
  private static final int MAX_KEPT = 8 << 20;
  /** The outcome a stored timing leaves out. */
  static final String CONTINUE = "continue";

  private byte[] buf;
  private int len;

  CopyEncoder() {
    this(64 * 1024);
  }

  private CopyEncoder(int size) {
    buf = new byte[size];
  }

  /** @return the stream for {@code rows}, valid until the next call: {@link #bytes()} up to {@link #length()} */
  CopyEncoder encode(List<LogRow> rows) {
    len = 0;
    if (buf.length > MAX_KEPT) { // an odd batch of huge rows does not keep its buffer alive
      buf = new byte[64 * 1024];
    }
    put(HEADER, 0, HEADER.length);
    for (LogRow row : rows) {
      AccessLogRecord r = row.record();
      putShort(FIELDS);
      putTimestamp(r.timestamp());
      putText(r.node());
      putLong(row.seq());
      putText(r.requestId());
      putText(r.site());
      putText(r.route());
      putText(r.upstream());
      putText(r.target());
      putText(r.method());
      putText(r.scheme());
      putText(r.protocol());
      putText(r.host());
      putText(r.path());
      putText(r.query());
      putInt(2);
      putShort(r.status());
      putLong(r.requestBytes());
      putLong(r.responseBytes());
      putLong(r.durationMicros());
      if (r.upstreamMicros() < 0) {
        putInt(-1);
      } else {
        putLong(r.upstreamMicros());
      }
      putInet(r.clientIp());
      putText(r.userAgent());
      putText(r.referer());
      putText(r.tlsVersion());
      putInt(2);
      putShort(r.retries());
      putText(r.details());
      putFilters(r.filters());
      putJsonb(r.attributes());
    }
    putShort(-1);
    return this;
  }

  byte[] bytes() {
    return buf;
  }

  int length() {
    return len;
  }

  /**
   * Compact: {@code [[plugin, requestMicros, responseMicros, outcome], …]}, the outcome left out
   * when it is {@code continue} (most are; with five filters a row's WAL went from 420 to 360
   * bytes). A row can carry a timing per filter and JSON objects for each cost the writer more
   * than the rest of the row, so the stream gets it written straight in (see {@link #putFilters}).
   */
  static String filtersJson(List<FilterTiming> filters) {
    CopyEncoder e = new CopyEncoder(64 + filters.size() * 40);
    e.writeFiltersJson(filters);
    return new String(e.buf, 0, e.len, StandardCharsets.UTF_8);
  }

  /** The filters column: its length, then the JSON; no string made on the way. */
  private void putFilters(List<FilterTiming> filters) {
    if (filters.isEmpty()) {
      putInt(-1);
      return;
    }
    ensure(4);
    int at = len;
    len += 4;
    writeFiltersJson(filters);
    writeInt(at, len - at - 4);
  }

  private void writeFiltersJson(List<FilterTiming> filters) {
    putAscii('[');
    for (int i = 0; i < filters.size(); i++) {
      FilterTiming f = filters.get(i);
      if (i > 0) {
        putAscii(',');
      }
      putAscii('[');
      putJsonString(f.plugin());
      putAscii(',');
      putDecimal(f.requestMicros());
      putAscii(',');
      putDecimal(f.responseMicros());
      if (!CONTINUE.equals(f.outcome())) {
        putAscii(',');
        putJsonString(f.outcome());
      }
      putAscii(']');
    }
    putAscii(']');
  }

  /** Printable ASCII goes straight in (plugin ids and outcomes are); anything else is escaped. */
  private void putJsonString(String s) {
    if (s == null) {
      byte[] b = {'n', 'u', 'l', 'l'};
      put(b, 0, 4);
      return;
    }
    int n = s.length();
    ensure(n + 2);
    int start = len;
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        len = start;
        StringBuilder sb = new StringBuilder(n + 8);
        jsonString(sb, s);
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        put(b, 0, b.length);
        return;
      }
      buf[len++] = (byte) c;
    }
    buf[len++] = '"';
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private void putDecimal(long v) {
    if (v < 0) {
      byte[] b = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
      put(b, 0, b.length);
      return;
    }
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) {
      digits++;
    }
    ensure(digits);
    for (int p = len + digits - 1; p >= len; p--) {
      buf[p] = (byte) ('0' + v % 10);
      v /= 10;
    }
    len += digits;
  }

  private void putAscii(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  /** Microseconds since PostgreSQL's epoch, truncated as the row's other writers truncate. */
  static long pgMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000) - PG_EPOCH_MICROS;
  }

  private void putTimestamp(Instant t) {
    putLong(pgMicros(t));
  }

  private void putInet(String ip) {
    byte[] addr = IpLiteral.ipv4Bytes(ip);
    if (addr == null) {
      InetAddress a = ip == null ? null : IpLiteral.parse(ip);
      if (a == null) {
        putInt(-1);
        return;
      }
      addr = a.getAddress();
    }
    putInt(4 + addr.length);
    ensure(4);
    buf[len++] = addr.length == 4 ? PGSQL_AF_INET : PGSQL_AF_INET6;
    buf[len++] = (byte) (addr.length * 8); // prefix bits: a single address
    buf[len++] = 0; // inet, not cidr
    buf[len++] = (byte) addr.length;
    put(addr, 0, addr.length);
  }

  private void putJsonb(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      putInt(-1);
      return;
    }
    byte[] json = new JsonObject(Map.copyOf(attributes)).encode().getBytes(StandardCharsets.UTF_8);
    putInt(1 + json.length);
    ensure(1);
    buf[len++] = JSONB_VERSION;
    put(json, 0, json.length);
  }

  /** Text as UTF-8 (for ASCII, the JDK's encoder is one array copy; measured faster than a char loop here). */
  private void putText(String s) {
    if (s == null) {
      putInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putInt(b.length);
    put(b, 0, b.length);
  }

  private void putShort(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void putInt(int v) {
    ensure(4);
    writeInt(len, v);
    len += 4;
  }

  /** A bigint field: its length, then the value. */
  private void putLong(long v) {
    putInt(8);
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  private void writeInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void put(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
