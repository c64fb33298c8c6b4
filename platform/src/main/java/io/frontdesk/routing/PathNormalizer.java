package io.frontdesk.routing;

/**
 * Puts a request path in the one form routes are matched against and upstreams receive, so that
 * {@code /a/./b}, {@code /a//b} and {@code /%61/b} cannot slip past a rule written for {@code /a/b}.
 *
 * <p>Decodes percent-escapes of unreserved characters only (so {@code %2F} stays a literal, not a
 * separator), upper-cases the other escapes, merges repeated slashes and resolves {@code .} and
 * {@code ..} segments. Paths that climb above the root or carry a broken escape are refused.
 */
public final class PathNormalizer {

  private PathNormalizer() {
  }

  /**
   * @param raw the path part of the request target (no query)
   * @return the normalised path, or {@code null} when the path is invalid
   */
  public static String normalize(String raw) {
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    if (isNormal(raw)) {
      return raw;
    }
    StringBuilder decoded = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        char d = (char) (hi * 16 + lo);
        if (isUnreserved(d)) {
          decoded.append(d);
        } else {
          decoded.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
              .append(Character.toUpperCase(raw.charAt(i + 2)));
        }
        i += 2;
      } else if (c < 0x21 || c == 0x7f) {
        return null;
      } else {
        decoded.append(c);
      }
    }
    return removeDotSegments(decoded);
  }

  /** True when the raw path has nothing to normalise (the common case: no allocation). */
  private static boolean isNormal(String raw) {
    char prev = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' || c < 0x21 || c == 0x7f) {
        return false;
      }
      if (c == '/' && prev == '/') {
        return false;
      }
      if (c == '.' && prev == '/') {
        // "/." starts a dot segment only when followed by "/", end, or "./" / ".".
        int next = i + 1 < raw.length() ? raw.charAt(i + 1) : -1;
        if (next == -1 || next == '/') {
          return false;
        }
        if (next == '.') {
          int after = i + 2 < raw.length() ? raw.charAt(i + 2) : -1;
          if (after == -1 || after == '/') {
            return false;
          }
        }
      }
      prev = c;
    }
    return true;
  }

  private static String removeDotSegments(CharSequence path) {
    int[] starts = new int[path.length() + 1];
    int depth = 0;
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    int n = path.length();
    while (i < n) {
      // path.charAt(i) == '/' here
      int j = i + 1;
      while (j < n && path.charAt(j) != '/') {
        j++;
      }
      int len = j - i - 1;
      boolean last = j >= n;
      if (len == 0) {
        if (last) {
          out.append('/');
        }
        // else: "//" merged
      } else if (len == 1 && path.charAt(i + 1) == '.') {
        if (last) {
          out.append('/');
        }
      } else if (len == 2 && path.charAt(i + 1) == '.' && path.charAt(i + 2) == '.') {
        if (depth == 0) {
          return null;
        }
        depth--;
        out.setLength(starts[depth]);
        if (last) {
          out.append('/');
        }
      } else {
        starts[depth++] = out.length();
        out.append(path, i, j);
      }
      i = j;
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
