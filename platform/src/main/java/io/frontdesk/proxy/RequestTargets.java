package io.frontdesk.proxy;

/**
 * Checks the path and query a filter gives the upstream request: they go into the request line as
 * they are, so a space, CR or LF would split it and a {@code ?} or {@code #} would move its parts.
 */
final class RequestTargets {

  private RequestTargets() {
  }

  /**
   * @return {@code p}, checked
   * @throws IllegalArgumentException naming the offending character
   */
  static String checkPath(String p) {
    if (p == null || !p.startsWith("/")) {
      throw new IllegalArgumentException("a path must start with '/'");
    }
    check(p, "path", true);
    return p;
  }

  /** @throws IllegalArgumentException naming the offending character; {@code null} means no query */
  static void checkQuery(String q) {
    if (q != null) {
      check(q, "query", false);
    }
  }

  private static void check(String s, String what, boolean path) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '#' || (path && c == '?')) {
        throw new IllegalArgumentException(String.format(
            "a %s may not contain the character U+%04X (at %d); percent-encode it", what, (int) c, i));
      }
    }
  }
}
