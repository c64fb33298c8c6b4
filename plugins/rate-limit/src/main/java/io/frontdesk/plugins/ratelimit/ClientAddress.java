package io.frontdesk.plugins.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The client address a limit counts by: IPv4 as is (or its network), IPv6 by its prefix. */
final class ClientAddress {

  private ClientAddress() {
  }

  /**
   * @param ip the client address Frontdesk determined (trusted-proxy aware)
   * @return the address, or its network {@code addr/prefix} when a prefix shorter than the
   *     address applies; {@code null} when {@code ip} is not an address literal
   */
  static String key(String ip, int v4Prefix, int v6Prefix) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    boolean v6 = ip.indexOf(':') >= 0;
    if (!v6 && v4Prefix == 32) {
      return ip; // the common case: no parsing
    }
    InetAddress a = literal(ip, v6);
    if (a == null) {
      return null;
    }
    byte[] b = a.getAddress();
    int prefix = b.length == 4 ? v4Prefix : v6Prefix;
    if (prefix >= b.length * 8) {
      return a.getHostAddress();
    }
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(b).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Parses a literal only: never a DNS lookup. An IPv4-mapped IPv6 address comes back as IPv4. */
  private static InetAddress literal(String s, boolean v6) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = v6 ? Character.digit(c, 16) >= 0 || c == ':' || c == '.' : Character.isDigit(c) || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
