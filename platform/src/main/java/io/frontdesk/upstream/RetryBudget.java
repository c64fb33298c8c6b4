package io.frontdesk.upstream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Retries allowed as a share of recent traffic (Linkerd's retry budget): over the last ten
 * seconds, retries may be at most {@code percent} of requests plus {@code minPerSecond} per second.
 * A burst (a target dying with requests in flight) is absorbed by the window; a sustained outage
 * cannot multiply the load by more than the share. Lock-free: one counter per second, reset lazily.
 */
final class RetryBudget {

  static final int WINDOW_SECONDS = 10;

  private final AtomicLongArray seconds = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray requests = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray retries = new AtomicLongArray(WINDOW_SECONDS);

  private int slot(long second) {
    int i = (int) (second % WINDOW_SECONDS);
    long seen = seconds.get(i);
    if (seen != second && seconds.compareAndSet(i, seen, second)) {
      requests.set(i, 0);
      retries.set(i, 0);
    }
    return i;
  }

  void request(long nowMillis) {
    requests.incrementAndGet(slot(nowMillis / 1000));
  }

  boolean tryRetry(long nowMillis, int percent, int minPerSecond) {
    long second = nowMillis / 1000;
    int i = slot(second);
    long req = 0;
    long ret = 0;
    for (int k = 0; k < WINDOW_SECONDS; k++) {
      if (second - seconds.get(k) < WINDOW_SECONDS) {
        req += requests.get(k);
        ret += retries.get(k);
      }
    }
    if ((ret + 1) * 100 > req * percent + 100L * minPerSecond * WINDOW_SECONDS) {
      return false;
    }
    retries.incrementAndGet(i);
    return true;
  }
}
