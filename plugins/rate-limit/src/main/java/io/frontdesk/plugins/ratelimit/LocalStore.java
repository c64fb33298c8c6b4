package io.frontdesk.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counts in this node's memory, shared by all its event loops. Each limit keeps at most
 * {@code maxKeys} keys (Caffeine's W-TinyLFU keeps the busy ones when a flood of new keys comes)
 * and forgets a key once it has been idle long enough to be back at a full quota, so memory stays
 * flat whatever the number of distinct clients.
 */
final class LocalStore implements LimitStore {

  private final List<Limit> limits;
  private final List<Cache<String, KeyState>> states;
  private final LongSupplier clockMicros;

  LocalStore(List<Limit> limits, long maxKeys, LongSupplier clockMicros) {
    this.limits = limits;
    this.clockMicros = clockMicros;
    this.states = new java.util.ArrayList<>(limits.size());
    for (int i = 0; i < limits.size(); i++) {
      states.add(Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleTimeout(limits.get(i)))
          .executor(Runnable::run) // upkeep on the caller's thread, a little at a time: no pool needed
          .build());
    }
  }

  /** A key idle this long has a full quota again, so forgetting it changes nothing. */
  static Duration idleTimeout(Limit l) {
    long micros = l.algorithm() == Limit.Algorithm.GCRA
        ? (l.burst() + 1) * l.rate().intervalMicros()
        : 2 * l.rate().periodMicros();
    return Duration.ofNanos(Math.max(1_000_000L, micros * 1000 + 1_000_000_000L));
  }

  @Override
  public Future<Outcome[]> acquire(String[] keys) {
    return Future.succeededFuture(decide(keys));
  }

  /** The decision itself, synchronous: what {@link #acquire} answers. */
  Outcome[] decide(String[] keys) {
    long now = clockMicros.getAsLong();
    Outcome[] out = new Outcome[keys.length];
    int refusedAt = keys.length;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        out[i] = Outcome.NOT_APPLICABLE;
        continue;
      }
      KeyState s = states.get(i).get(keys[i], k -> new KeyState());
      // once one limit refused, the others are only asked (the request will not count)
      out[i] = s.decide(limits.get(i), now, i < refusedAt);
      if (!out[i].allowed() && refusedAt == keys.length) {
        refusedAt = i;
      }
    }
    if (refusedAt < keys.length) {
      for (int i = 0; i < refusedAt; i++) {
        if (keys[i] != null && out[i].allowed()) {
          KeyState s = states.get(i).getIfPresent(keys[i]);
          if (s != null) {
            s.refund(limits.get(i), now);
          }
        }
      }
    }
    return out;
  }

  /** @return how many keys limit {@code i} remembers (after pending upkeep) */
  long size(int i) {
    states.get(i).cleanUp();
    return states.get(i).estimatedSize();
  }

  /** One key's counts: the GCRA TAT, or the sliding window's index and two counts. */
  static final class KeyState {
    private long a;
    private long b;
    private long c;
    synchronized Outcome decide(Limit l, long now, boolean commit) {
      if (l.algorithm() == Limit.Algorithm.GCRA) {
        Gcra.Step s = Gcra.decide(a, now, l.rate().intervalMicros(), l.toleranceMicros());
        if (commit && s.outcome().allowed()) {
          a = s.newTat();
        }
        return s.outcome();
      }
      SlidingWindow.Step s = SlidingWindow.decide(a, b, c, now, l.rate().count(), l.rate().periodMicros());
      if (commit && s.outcome().allowed()) {
        a = s.window();
        b = s.current();
        c = s.previous();
      }
      return s.outcome();
    }

    /** Gives back what a committed decision took (another limit refused the request). */
    synchronized void refund(Limit l, long now) {
      if (l.algorithm() == Limit.Algorithm.GCRA) {
        a -= l.rate().intervalMicros();
      } else if (b > 0 && a == now / l.rate().periodMicros()) {
        b--;
      }
    }
  }
}
