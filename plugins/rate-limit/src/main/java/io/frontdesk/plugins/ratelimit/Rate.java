package io.frontdesk.plugins.ratelimit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate as an operator writes it: {@code N/s}, {@code N/m}, {@code N/h} or {@code N/d}.
 *
 * @param count requests per period
 * @param periodMicros the period in microseconds
 * @param text the rate as written
 */
record Rate(long count, long periodMicros, String text) {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,10})\\s*/\\s*(s|m|h|d)");
  /** Redis keeps times in whole microseconds: one request per microsecond is the finest interval. */
  static final long MAX_PER_SECOND = 1_000_000;

  /** @throws IllegalArgumentException with a message an operator can act on */
  static Rate parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a rate: write N/s, N/m, N/h or N/d, e.g. 100/m");
    }
    long n = Long.parseLong(m.group(1));
    long period = switch (m.group(2)) {
      case "s" -> 1_000_000L;
      case "m" -> 60_000_000L;
      case "h" -> 3_600_000_000L;
      default -> 86_400_000_000L;
    };
    if (n < 1) {
      throw new IllegalArgumentException("'" + text + "' allows nothing: the count must be at least 1");
    }
    if (n * 1_000_000L / period > MAX_PER_SECOND) {
      throw new IllegalArgumentException("'" + text + "' is too fast: at most " + MAX_PER_SECOND + "/s");
    }
    return new Rate(n, period, m.group(1) + "/" + m.group(2));
  }

  /** @return the GCRA emission interval: the period divided by the count, in microseconds */
  long intervalMicros() {
    return Math.max(1, periodMicros / count);
  }

  /** @return the period in whole seconds, at least 1 (the {@code w} of RateLimit-Policy) */
  long periodSeconds() {
    return Math.max(1, periodMicros / 1_000_000L);
  }

  @Override
  public String toString() {
    return text;
  }
}
