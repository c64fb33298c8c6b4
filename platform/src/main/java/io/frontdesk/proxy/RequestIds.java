package io.frontdesk.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Makes request ids (32 hex digits, 128 random bits) and checks incoming ones. */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long a = r.nextLong();
    long b = r.nextLong();
    char[] out = new char[32];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (a & 0xf)];
      a >>>= 4;
      out[16 + i] = HEX[(int) (b & 0xf)];
      b >>>= 4;
    }
    return new String(out);
  }

  /** An incoming id is kept only when short and made of visible ASCII (it ends up in logs and headers). */
  static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
