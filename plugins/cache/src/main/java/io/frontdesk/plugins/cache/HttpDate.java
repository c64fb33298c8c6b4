package io.frontdesk.plugins.cache;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients
 * must also read; names compared without regard to case. Anything else is invalid: an invalid
 * {@code Expires} means already expired (RFC 9111 5.3), an invalid {@code Date} is replaced by the
 * time of receipt.
 */
final class HttpDate {

  /** Returned by {@link #parse} for a value that is no HTTP date. */
  static final long INVALID = Long.MIN_VALUE;

  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
      "dec"};
  private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
      Locale.US).withZone(ZoneOffset.UTC);

  private HttpDate() {
  }

  /** @return {@code epochSeconds} as an IMF-fixdate */
  static String format(long epochSeconds) {
    return IMF.format(java.time.Instant.ofEpochSecond(epochSeconds));
  }

  /**
   * @param nowSeconds the clock, for the two-digit years of RFC 850 dates
   * @return the date in seconds since the epoch, or {@link #INVALID}
   */
  static long parse(String value, long nowSeconds) {
    if (value == null) {
      return INVALID;
    }
    String s = value.trim();
    try {
      int comma = s.indexOf(',');
      if (comma == 3) {
        return imf(s);
      }
      if (comma > 3) {
        return rfc850(s, comma, nowSeconds);
      }
      return asctime(s);
    } catch (RuntimeException e) {
      return INVALID;
    }
  }

  /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
  private static long imf(String s) {
    if (s.length() != 29 || !dayName(s.substring(0, 3), false) || s.charAt(4) != ' ' || s.charAt(7) != ' '
        || s.charAt(11) != ' ' || s.charAt(16) != ' ' || s.charAt(25) != ' '
        || !s.substring(26).equalsIgnoreCase("GMT")) {
      return INVALID;
    }
    return of(digits(s, 12, 4), month(s.substring(8, 11)), digits(s, 5, 2), time(s, 17));
  }

  /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
  private static long rfc850(String s, int comma, long nowSeconds) {
    String rest = s.substring(comma + 1);
    if (!dayName(s.substring(0, comma), true) || rest.length() != 23 || rest.charAt(0) != ' ' || rest.charAt(3) != '-'
        || rest.charAt(7) != '-' || rest.charAt(10) != ' ' || rest.charAt(19) != ' '
        || !rest.substring(20).equalsIgnoreCase("GMT")) {
      return INVALID;
    }
    int yy = digits(rest, 8, 2);
    int nowYear = LocalDateTime.ofEpochSecond(nowSeconds, 0, ZoneOffset.UTC).getYear();
    int year = nowYear / 100 * 100 + yy;
    if (year > nowYear + 50) {
      year -= 100; // more than 50 years ahead: the most recent past year with those digits
    }
    return of(year, month(rest.substring(4, 7)), digits(rest, 1, 2), time(rest, 11));
  }

  /** {@code Sun Nov  6 08:49:37 1994} */
  private static long asctime(String s) {
    if (s.length() != 24 || !dayName(s.substring(0, 3), false) || s.charAt(3) != ' ' || s.charAt(7) != ' '
        || s.charAt(10) != ' ' || s.charAt(19) != ' ') {
      return INVALID;
    }
    int day = s.charAt(8) == ' ' ? digits(s, 9, 1) : digits(s, 8, 2);
    return of(digits(s, 20, 4), month(s.substring(4, 7)), day, time(s, 11));
  }

  private static boolean dayName(String d, boolean full) {
    for (DayOfWeek w : DayOfWeek.values()) {
      if (w.getDisplayName(full ? TextStyle.FULL : TextStyle.SHORT, Locale.US).equalsIgnoreCase(d)) {
        return true;
      }
    }
    return false;
  }

  private static int month(String m) {
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equalsIgnoreCase(m)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("month");
  }

  /** @return seconds of the day from {@code HH:mm:ss} at {@code at} */
  private static int time(String s, int at) {
    if (s.charAt(at + 2) != ':' || s.charAt(at + 5) != ':') {
      throw new IllegalArgumentException("time");
    }
    int h = digits(s, at, 2);
    int m = digits(s, at + 3, 2);
    int sec = digits(s, at + 6, 2);
    if (h > 23 || m > 59 || sec > 60) {
      throw new IllegalArgumentException("time");
    }
    return h * 3600 + m * 60 + Math.min(sec, 59);
  }

  private static int digits(String s, int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("digit");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static long of(int year, int month, int day, int secondOfDay) {
    // LocalDateTime.of refuses day 31 in a 30-day month: such a date is invalid
    return LocalDateTime.of(year, month, day, 0, 0).toEpochSecond(ZoneOffset.UTC) + secondOfDay;
  }
}
