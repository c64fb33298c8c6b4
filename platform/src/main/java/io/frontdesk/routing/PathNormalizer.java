package io.frontdesk.routing;

/**
 * Puts a request path in the one form routes are matched against and upstreams receive, so that
 * {@code /a/./b}, {@code /a//b} and {@code /%61/b} cannot slip past a rule written for {@code /a/b}.
 *
 * <p>Decodes percent-escapes of unreserved characters only (so {@code %2F} stays a literal, not a
 * separator), upper-cases the other escapes, merges repeated slashes and resolves {@code .} and
 * {@code ..} segments. Paths that climb above the root, carry a broken escape or a control
 * character (raw or escaped, {@code %00} included) are refused.
 *
 * <p>{@link #unusualForms} names what a normal path does not have and some backends read in their
 * own way (escaped slashes, backslashes, {@code ;} parameters); the route decides whether to allow them.
 */
public final class PathNormalizer {

  /** An escaped slash or backslash ({@code %2F}, {@code %5C}) or a raw backslash. */
  public static final int SLASH_FORMS = 1;
  /** A {@code ;} in a segment (path parameters: {@code /admin;x}, {@code /x/..;/admin}). */
  public static final int PATH_PARAMETERS = 2;

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
        if (d < 0x20 || d == 0x7f) {
          return null; // %00 and other escaped control characters
        }
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

  /**
   * @param normalized a path {@link #normalize} returned
   * @return the unusual forms it holds: a mask of {@link #SLASH_FORMS} and {@link #PATH_PARAMETERS}
   */
  public static int unusualForms(String normalized) {
    int forms = 0;
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      if (c == '\\') {
        forms |= SLASH_FORMS;
      } else if (c == ';') {
        forms |= PATH_PARAMETERS;
      } else if (c == '%' && i + 2 < normalized.length()) {
        char hi = normalized.charAt(i + 1);
        char lo = normalized.charAt(i + 2);
        if ((hi == '2' && lo == 'F') || (hi == '5' && lo == 'C')) { // escapes are upper case here
          forms |= SLASH_FORMS;
        }
      }
    }
    return forms;
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
