package io.frontdesk.plugins.accesscontrol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address. */
final class IpRange {

  private final byte[] network;
  private final int bits;
  private final String text;

  private IpRange(byte[] network, int bits, String text) {
    this.network = network;
    this.bits = bits;
    this.text = text;
  }

  /** @throws IllegalArgumentException when {@code text} is not an address or network */
  static IpRange parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    InetAddress a = literal(slash < 0 ? t : t.substring(0, slash));
    if (a == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    byte[] b = a.getAddress();
    int bits = b.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > b.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + b.length * 8);
      }
    }
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    return new IpRange(b, bits, t);
  }

  /** Parses a literal address only: never a DNS lookup. */
  static InetAddress literal(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    boolean v6 = s.indexOf(':') >= 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = v6 ? Character.digit(c, 16) >= 0 || c == ':' || c == '.' : Character.isDigit(c) || c == '.';
      if (!ok) {
        return null;
      }
    }
    if (!v6 && s.split("\\.", -1).length != 4) {
      return null;
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
      a = Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length != network.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return text;
  }
}
