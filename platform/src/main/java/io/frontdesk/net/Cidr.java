package io.frontdesk.net;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a
 * single-host network.
 */
public record Cidr(byte[] network, int prefixBits) {

  /**
   * @throws IllegalArgumentException naming the problem when {@code text} is not a CIDR
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    InetAddress parsed = IpLiteral.parse(addr);
    if (parsed == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    byte[] bytes = parsed.getAddress();
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
      }
      if (bits < 0 || bits > bytes.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bytes.length * 8);
      }
    }
    return new Cidr(mask(bytes, bits), bits);
  }

  private static byte[] mask(byte[] b, int bits) {
    byte[] out = b.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      // IPv4-mapped IPv6 (::ffff:a.b.c.d) against an IPv4 network.
      if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
        a = java.util.Arrays.copyOfRange(a, 12, 16);
      } else {
        return false;
      }
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int m = 0xff << (8 - rest);
    return (a[full] & m) == (network[full] & m);
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }
}
