package io.frontdesk.routing;

import java.util.Locale;

/** Checks and classifies the host names a site claims. */
public final class HostPattern {

  private HostPattern() {
  }

  /** @return why {@code host} is not a valid site host, or {@code null} when it is */
  public static String problem(String host) {
    if (host.equals("*")) {
      return null;
    }
    String h = host;
    if (h.startsWith("*.")) {
      h = h.substring(2);
    } else if (h.contains("*")) {
      return "a wildcard must be the whole first label, as in *.example.com";
    }
    if (h.length() > 253) {
      return "is longer than 253 characters";
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      return isIpv6(h.substring(1, h.length() - 1)) ? null : "is not a valid IPv6 address";
    }
    if (h.indexOf(':') >= 0) {
      return "must not contain a port";
    }
    for (String label : h.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63) {
        return "has an empty or over-long label";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
          return "may contain only lower-case letters, digits, '-', '_' and '.'";
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "has a label that starts or ends with '-'";
      }
    }
    return null;
  }

  private static boolean isIpv6(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
        && s.contains(":");
  }

  /**
   * Reduces a Host header (or :authority) to the name sites are looked up by: lower-case, port and
   * trailing dot removed.
   *
   * @return the name, or {@code null} when the header is malformed
   */
  public static String fromHeader(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.isEmpty()) {
      return null;
    }
    if (h.charAt(0) == '[') {
      int close = h.indexOf(']');
      if (close < 0) {
        return null;
      }
      String rest = h.substring(close + 1);
      if (!rest.isEmpty() && !validPort(rest)) {
        return null;
      }
      return h.substring(0, close + 1).toLowerCase(Locale.ROOT);
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      if (!validPort(h.substring(colon))) {
        return null;
      }
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c <= ' ' || c == '/' || c == '\\' || c == '@' || c == '?' || c == '#' || c >= 0x7f) {
        return null;
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }

  private static boolean validPort(String colonPort) {
    if (colonPort.length() < 2 || colonPort.length() > 6 || colonPort.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < colonPort.length(); i++) {
      if (!Character.isDigit(colonPort.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
