package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Range: bytes=…} request over a body of known length (RFC 9110 14.1.2): the satisfiable
 * ranges, in the order asked; {@code null} when the field is not a valid byte-range set (it is
 * then ignored and the whole body sent). More than {@link #MAX_RANGES} ranges, or overlapping ones,
 * are also ignored (14.2 lets a server refuse such a request its ranges).
 */
final class ByteRanges {

  static final int MAX_RANGES = 16;

  /** One satisfiable range, both ends included. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }
  }

  private ByteRanges() {
  }

  /**
   * @return the satisfiable ranges (empty: none is, answer 416), or {@code null} to ignore the field
   */
  static List<Range> parse(String value, long length) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.length() < 6 || !v.substring(0, 6).equalsIgnoreCase("bytes=")) {
      return null;
    }
    String[] specs = v.substring(6).split(",", -1);
    if (specs.length > MAX_RANGES) {
      return null;
    }
    List<Range> out = new ArrayList<>();
    boolean any = false;
    for (String s : specs) {
      String spec = s.trim();
      if (spec.isEmpty()) {
        continue;
      }
      any = true;
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return null;
      }
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = digits(b);
        if (suffix < 0) {
          return null;
        }
        if (suffix > 0 && length > 0) {
          out.add(new Range(Math.max(0, length - suffix), length - 1));
        }
        continue;
      }
      long first = digits(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
      if (first < 0 || last < 0 || last < first) {
        return null;
      }
      if (first < length) {
        out.add(new Range(first, Math.min(last, length - 1)));
      }
    }
    if (!any) {
      return null;
    }
    for (int i = 0; i < out.size(); i++) {
      for (int j = i + 1; j < out.size(); j++) {
        Range x = out.get(i);
        Range y = out.get(j);
        if (x.first() <= y.last() && y.first() <= x.last()) {
          return null; // overlapping ranges: the whole body instead
        }
      }
    }
    return out;
  }

  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long r = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      r = r * 10 + (c - '0');
    }
    return r;
  }
}
