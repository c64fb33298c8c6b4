package io.frontdesk.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP address literals without ever falling back to a DNS lookup. */
public final class IpLiteral {

  private IpLiteral() {
  }

  /** @return the address, or {@code null} when {@code s} is not an IPv4/IPv6 literal */
  public static InetAddress parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (t.indexOf(':') >= 0) {
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) {
          return null;
        }
      }
    } else if (!isIpv4(t)) {
      return null;
    }
    try {
      return InetAddress.getByName(t); // a literal: resolved without DNS
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public static boolean isIpv4(String t) {
    int parts = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        parts++;
        digits = 0;
        value = 0;
      } else if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return digits > 0 && parts == 3;
  }

  /**
   * The four bytes of a dotted-quad IPv4 literal, without making an {@link InetAddress} (the
   * access-log writer reads one per row).
   *
   * @return the address, or {@code null} when {@code t} is not an IPv4 literal
   */
  public static byte[] ipv4Bytes(String t) {
    if (t == null || !isIpv4(t)) {
      return null;
    }
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '.') {
        out[part++] = (byte) value;
        value = 0;
      } else {
        value = value * 10 + (c - '0');
      }
    }
    out[3] = (byte) value;
    return out;
  }
}
