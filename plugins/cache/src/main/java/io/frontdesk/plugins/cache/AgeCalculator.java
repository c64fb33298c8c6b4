package io.frontdesk.plugins.cache;

import java.util.List;

/**
 * The age of a stored response, as RFC 9111 4.2.3 computes it: the {@code Age} the response came
 * with, the time it spent in transit, and how far its {@code Date} lies behind its arrival, then
 * the time it has been resident since. Times in milliseconds, ages reported in seconds.
 */
final class AgeCalculator {

  private AgeCalculator() {
  }

  /**
   * @return the {@code Age} field's value in seconds: its first field line when that is
   *     delta-seconds (or a list of one repeated value), else 0 (an unusable Age is ignored)
   */
  static long ageValue(List<String> lines) {
    if (lines == null || lines.isEmpty() || lines.get(0) == null) {
      return 0;
    }
    String first = lines.get(0).trim();
    long v = CacheControl.deltaSeconds(first);
    if (v >= 0) {
      return v;
    }
    String[] members = first.split(",");
    long common = CacheControl.deltaSeconds(members[0].trim());
    for (String m : members) {
      if (CacheControl.deltaSeconds(m.trim()) != common) {
        return 0;
      }
    }
    return Math.max(0, common);
  }

  /**
   * @param ageValue seconds, from {@link #ageValue}
   * @param dateMillis the response's {@code Date}
   * @param requestTime when the request that got the response was sent
   * @param responseTime when the response arrived
   * @return corrected_initial_age in milliseconds
   */
  static long correctedInitialAge(long ageValue, long dateMillis, long requestTime, long responseTime) {
    long apparentAge = Math.max(0, responseTime - dateMillis);
    long responseDelay = Math.max(0, responseTime - requestTime);
    long correctedAgeValue = ageValue * 1000 + responseDelay;
    return Math.max(apparentAge, correctedAgeValue);
  }

  /** @return current_age in milliseconds */
  static long currentAge(long correctedInitialAge, long responseTime, long now) {
    return correctedInitialAge + Math.max(0, now - responseTime);
  }

  /** @return an {@code Age} header value for {@code ageMillis}: whole seconds, at most 2^31 */
  static String header(long ageMillis) {
    return Long.toString(Math.min(CacheControl.MAX_DELTA, Math.max(0, ageMillis / 1000)));
  }
}
