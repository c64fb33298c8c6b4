package io.frontdesk.accesslog;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes request ids and checks incoming ones. An id is 32 hex digits: the millisecond it was made
 * (12 digits) and 80 random bits. The time in front lets a search by id look at the minutes
 * around it through the access log's primary key, instead of keeping an index of ids that cost
 * the database as much per stored row as the row itself.
 */
public final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int TIME_DIGITS = 12;

  private RequestIds() {
  }

  public static String next() {
    return make(System.currentTimeMillis(), ThreadLocalRandom.current());
  }

  /** An id made at {@code millis} (tools and tests that make records of another time). */
  public static String make(long millis, java.util.random.RandomGenerator random) {
    char[] out = new char[32];
    long t = millis;
    for (int i = TIME_DIGITS - 1; i >= 0; i--) {
      out[i] = HEX[(int) (t & 0xf)];
      t >>>= 4;
    }
    long a = random.nextLong();
    long b = random.nextLong();
    for (int i = TIME_DIGITS; i < 32; i++) {
      long src = i < 28 ? a : b; // 16 digits from a, 4 from b
      int shift = (i < 28 ? i - TIME_DIGITS : i - 28) * 4;
      out[i] = HEX[(int) ((src >>> shift) & 0xf)];
    }
    return new String(out);
  }

  /** @return when an id of this form was made, or {@code null} for any other id (e.g. one a trusted proxy sent) */
  public static Instant madeAt(String id) {
    if (id == null || id.length() != 32) {
      return null;
    }
    long millis = 0;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(id.charAt(i), 16);
      if (d < 0 || Character.isUpperCase(id.charAt(i))) {
        return null;
      }
      if (i < TIME_DIGITS) {
        millis = millis << 4 | d;
      }
    }
    return Instant.ofEpochMilli(millis);
  }

  /** An incoming id is kept only when short and made of visible ASCII (it ends up in logs and headers). */
  public static boolean acceptable(String id) {
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
