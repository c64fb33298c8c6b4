package io.frontdesk.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after 5 failed sign-ins for a client address or an account within
 * 15 minutes, further attempts wait 1 s, 2 s, 4 s … (up to 15 min) before they are even checked.
 * Per node, in memory; a success clears the account's and the address's count.
 */
public final class LoginThrottle {

  static final int FREE_ATTEMPTS = 5;
  static final long WINDOW_MILLIS = 15 * 60_000L;
  static final long MAX_LOCK_MILLIS = 15 * 60_000L;

  private record Failures(int count, long firstAt, long lockedUntil) {
  }

  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  /** @return milliseconds to wait before an attempt may be checked, 0 when it may be now */
  public long retryAfterMillis(String clientIp, String user, long now) {
    return Math.max(lockedFor("ip:" + clientIp, now), lockedFor("user:" + user, now));
  }

  private long lockedFor(String key, long now) {
    Failures f = failures.get(key);
    return f == null ? 0 : Math.max(0, f.lockedUntil() - now);
  }

  public void failed(String clientIp, String user, long now) {
    record("ip:" + clientIp, now);
    record("user:" + user, now);
    if (failures.size() > 100_000) {
      failures.entrySet().removeIf(e -> now - e.getValue().firstAt() > WINDOW_MILLIS);
    }
  }

  private void record(String key, long now) {
    failures.compute(key, (k, f) -> {
      Failures cur = f == null || now - f.firstAt() > WINDOW_MILLIS ? new Failures(0, now, 0) : f;
      int count = cur.count() + 1;
      long lock = count < FREE_ATTEMPTS ? 0 : Math.min(MAX_LOCK_MILLIS, 1000L << Math.min(20, count - FREE_ATTEMPTS));
      return new Failures(count, cur.firstAt(), lock == 0 ? 0 : now + lock);
    });
  }

  public void succeeded(String clientIp, String user) {
    failures.remove("ip:" + clientIp);
    failures.remove("user:" + user);
  }
}
