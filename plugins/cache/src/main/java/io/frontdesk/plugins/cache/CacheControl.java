package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of {@code Cache-Control} field lines (RFC 9111 5.2), parsed as RFC 9110's list
 * syntax says: {@code token [ "=" ( token / quoted-string ) ]}, names case-insensitive, quoted
 * strings unescaped (so a directive inside one is never seen). When a directive repeats, its first
 * occurrence counts (RFC 9111 4.2.1). A directive whose syntax is broken ({@code max-age =5},
 * {@code max-age= 5}) is kept with an invalid argument, so the rules treat it conservatively.
 */
final class CacheControl {

  /** Returned by {@link #seconds} for a directive present with an argument that is no delta-seconds. */
  static final long INVALID = -2;
  /** Returned by {@link #seconds} for an absent directive. */
  static final long ABSENT = -1;
  /** The largest delta-seconds a cache needs to represent (RFC 9111 1.2.2). */
  static final long MAX_DELTA = 2147483648L;

  static final CacheControl NONE = new CacheControl(Map.of());

  private static final String BROKEN = new String("\u0000broken"); // identity marks a broken argument

  /** Name → argument ({@code null}: no argument). */
  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  /** Parses every field line of the header (their order is the order of the directives). */
  static CacheControl parse(List<String> lines) {
    if (lines == null || lines.isEmpty()) {
      return NONE;
    }
    Map<String, String> d = new HashMap<>(8);
    for (String line : lines) {
      if (line != null) {
        parseLine(line, d);
      }
    }
    return d.isEmpty() ? NONE : new CacheControl(Collections.unmodifiableMap(d));
  }

  static CacheControl parse(String line) {
    return parse(line == null ? List.of() : List.of(line));
  }

  private static void parseLine(String s, Map<String, String> out) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && (s.charAt(i) == ',' || isOws(s.charAt(i)))) {
        i++;
      }
      int start = i;
      while (i < n && isTchar(s.charAt(i))) {
        i++;
      }
      if (i == start) { // garbage where a name should be: skip to the next member
        i = skipMember(s, i);
        continue;
      }
      String name = s.substring(start, i).toLowerCase(Locale.ROOT);
      String arg = null;
      boolean broken = false;
      int j = i;
      while (j < n && isOws(s.charAt(j))) {
        j++;
      }
      if (j < n && s.charAt(j) == '=') {
        if (j != i) {
          broken = true; // whitespace before '='
        }
        i = j + 1;
        if (i < n && s.charAt(i) == '"') {
          StringBuilder q = new StringBuilder();
          i++;
          boolean closed = false;
          while (i < n) {
            char c = s.charAt(i++);
            if (c == '\\' && i < n) {
              q.append(s.charAt(i++));
            } else if (c == '"') {
              closed = true;
              break;
            } else {
              q.append(c);
            }
          }
          arg = q.toString();
          broken |= !closed;
        } else {
          int a = i;
          while (i < n && isTchar(s.charAt(i))) {
            i++;
          }
          arg = s.substring(a, i);
          broken |= arg.isEmpty();
        }
      } else {
        i = j;
      }
      while (i < n && isOws(s.charAt(i))) {
        i++;
      }
      if (i < n && s.charAt(i) != ',') {
        broken = true; // trailing garbage in this member
        i = skipMember(s, i);
      }
      out.putIfAbsent(name, broken ? BROKEN : arg);
    }
  }

  /** @return the index of the comma ending the member at {@code i} (quoted strings skipped), or the end */
  private static int skipMember(String s, int i) {
    boolean quoted = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i += 2;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        return i;
      }
      i++;
    }
    return i;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isTchar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** @return whether the directive is present (with or without an argument, valid or not) */
  boolean has(String name) {
    return directives.containsKey(name);
  }

  /** @return whether no directive is present */
  boolean isEmpty() {
    return directives.isEmpty();
  }

  /**
   * @return the directive's delta-seconds argument (at most {@link #MAX_DELTA}), {@link #ABSENT}, or
   *     {@link #INVALID} when present without a valid one
   */
  long seconds(String name) {
    if (!directives.containsKey(name)) {
      return ABSENT;
    }
    return deltaSeconds(directives.get(name));
  }

  /** @return 1*DIGIT as a number (at most {@link #MAX_DELTA}), or {@link #INVALID} */
  static long deltaSeconds(String v) {
    if (v == null || v == BROKEN || v.isEmpty()) {
      return INVALID;
    }
    long r = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return INVALID;
      }
      r = Math.min(MAX_DELTA, r * 10 + (c - '0'));
    }
    return r;
  }

  /** @return whether the directive has an argument (e.g. {@code no-cache="Set-Cookie"}) */
  boolean hasArgument(String name) {
    String v = directives.get(name);
    return v != null && v != BROKEN;
  }

  /** @return the field names listed in the directive's argument, lower-case; empty without one */
  List<String> fieldNames(String name) {
    String v = directives.get(name);
    if (v == null || v == BROKEN) {
      return List.of();
    }
    List<String> names = new ArrayList<>(2);
    for (String f : v.split(",")) {
      String t = f.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        names.add(t);
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return directives.toString();
  }
}
