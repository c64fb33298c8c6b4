package io.frontdesk.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Slows down password guessing. An attempt counts when it starts (so parallel guesses in flight
 * are counted before any hash is checked), and a success takes its own count back. Three counts,
 * each over a 15-minute window, each locking with a doubling pause (1 s, 2 s, 4 s … up to 15 min)
 * once its free attempts are used:
 * <ul>
 *   <li>an account from one client address (5 free): guessing from one place never locks the owner
 *       out from another;</li>
 *   <li>a client address over all accounts (20 free): one place spraying many names;</li>
 *   <li>an account over all addresses (100 free): the global ceiling against guesses spread over
 *       many addresses.</li>
 * </ul>
 * Per node, in memory, at most {@code maxEntries} entries: when full, finished entries are dropped,
 * and if that is not enough new names and addresses wait until the table has room (fail closed).
 */
public final class LoginThrottle {

  static final long WINDOW_MILLIS = 15 * 60_000L;
  static final long MAX_LOCK_MILLIS = 15 * 60_000L;
  /** How long an attempt waits when the table is full. */
  static final long FULL_WAIT_MILLIS = 60_000L;

  /** Free attempts per key kind and the table's size limit. */
  public record Limits(int perAccountAndAddress, int perAddress, int perAccount, int maxEntries) {
    public static final Limits DEFAULT = new Limits(5, 20, 100, 100_000);
  }

  private static final class Count {
    int count;
    long firstAt;
    long lockedUntil;
  }

  private final Limits limits;
  private final Map<String, Count> counts = new HashMap<>();
  private long lastPurge = Long.MIN_VALUE / 2;

  public LoginThrottle() {
    this(Limits.DEFAULT);
  }

  public LoginThrottle(Limits limits) {
    this.limits = limits;
  }

  /**
   * Starts an attempt: counts it now, unless it must wait.
   *
   * @return milliseconds to wait before an attempt may be checked; 0 when it was counted and may go on
   */
  public synchronized long begin(String clientIp, String user, long now) {
    String pair = pairKey(clientIp, user);
    String ip = "ip:" + clientIp;
    String account = "user:" + user;
    long wait = Math.max(lockedFor(pair, now), Math.max(lockedFor(ip, now), lockedFor(account, now)));
    if (wait > 0) {
      return wait;
    }
    int missing = (counts.containsKey(pair) ? 0 : 1) + (counts.containsKey(ip) ? 0 : 1)
        + (counts.containsKey(account) ? 0 : 1);
    if (counts.size() + missing > limits.maxEntries()) {
      purge(now);
      if (counts.size() + missing > limits.maxEntries()) {
        return FULL_WAIT_MILLIS;
      }
    }
    count(pair, limits.perAccountAndAddress(), now);
    count(ip, limits.perAddress(), now);
    count(account, limits.perAccount(), now);
    return 0;
  }

  /** The attempt begun for this address and account had the right password: its count is taken back. */
  public synchronized void succeeded(String clientIp, String user) {
    counts.remove(pairKey(clientIp, user));
    uncount("ip:" + clientIp);
    uncount("user:" + user);
  }

  /** @return how many entries the table holds (for tests and metrics) */
  public synchronized int size() {
    return counts.size();
  }

  private static String pairKey(String clientIp, String user) {
    return "pair:" + clientIp + "\n" + user;
  }

  private long lockedFor(String key, long now) {
    Count c = counts.get(key);
    return c == null ? 0 : Math.max(0, c.lockedUntil - now);
  }

  private void count(String key, int free, long now) {
    Count c = counts.get(key);
    if (c == null || now - c.firstAt > WINDOW_MILLIS && c.lockedUntil <= now) {
      c = new Count();
      c.firstAt = now;
      counts.put(key, c);
    }
    c.count++;
    if (c.count >= free) {
      c.lockedUntil = now + Math.min(MAX_LOCK_MILLIS, 1000L << Math.min(20, c.count - free));
    }
  }

  private void uncount(String key) {
    Count c = counts.get(key);
    if (c != null && --c.count <= 0) {
      counts.remove(key);
    }
  }

  /** Drops finished entries, at most once a second (a full table under attack must not cost a scan per attempt). */
  private void purge(long now) {
    if (now - lastPurge < 1000) {
      return;
    }
    lastPurge = now;
    for (Iterator<Count> it = counts.values().iterator(); it.hasNext(); ) {
      Count c = it.next();
      if (now - c.firstAt > WINDOW_MILLIS && c.lockedUntil <= now) {
        it.remove();
      }
    }
  }
}
