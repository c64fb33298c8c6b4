package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcraTest {

  static final long MS = 1000;
  static final long INTERVAL = 200 * MS; // 5/s

  @Test
  void withoutBurstRequestsMustBeEvenlySpaced() {
    Gcra.Step first = Gcra.decide(0, 1_000_000, INTERVAL, 0);
    assertThat(first.outcome()).isEqualTo(new Outcome(true, 0, INTERVAL, 0, 0));
    Gcra.Step tooSoon = Gcra.decide(first.newTat(), 1_000_000 + 50 * MS, INTERVAL, 0);
    assertThat(tooSoon.outcome().allowed()).isFalse();
    assertThat(tooSoon.outcome().retryMicros()).isEqualTo(150 * MS);
    assertThat(tooSoon.newTat()).isEqualTo(first.newTat()); // a refused request uses up nothing
    assertThat(Gcra.decide(first.newTat(), 1_000_000 + 200 * MS, INTERVAL, 0).outcome().allowed()).isTrue();
  }

  @Test
  void aBurstLetsThatManyMoreThroughAtOnceThenOnePerInterval() {
    long now = 5_000_000;
    long tat = 0;
    for (int remaining = 2; remaining >= 0; remaining--) {
      Gcra.Step s = Gcra.decide(tat, now, INTERVAL, 2 * INTERVAL);
      assertThat(s.outcome().allowed()).isTrue();
      assertThat(s.outcome().remaining()).isEqualTo(remaining);
      tat = s.newTat();
    }
    Gcra.Step refused = Gcra.decide(tat, now, INTERVAL, 2 * INTERVAL);
    assertThat(refused.outcome().allowed()).isFalse();
    assertThat(refused.outcome().retryMicros()).isEqualTo(INTERVAL);
    Gcra.Step later = Gcra.decide(tat, now + INTERVAL, INTERVAL, 2 * INTERVAL);
    assertThat(later.outcome().allowed()).isTrue();
    assertThat(later.outcome().remaining()).isZero();
  }

  @Test
  void earlinessTellsHowFarAheadOfItsTurnARequestCame() {
    Gcra.Step a = Gcra.decide(0, 0 + 1, INTERVAL, 3 * INTERVAL);
    Gcra.Step b = Gcra.decide(a.newTat(), 1, INTERVAL, 3 * INTERVAL);
    Gcra.Step c = Gcra.decide(b.newTat(), 1, INTERVAL, 3 * INTERVAL);
    assertThat(a.outcome().earlyMicros()).isZero();
    assertThat(b.outcome().earlyMicros()).isEqualTo(INTERVAL);
    assertThat(c.outcome().earlyMicros()).isEqualTo(2 * INTERVAL);
  }

  @Test
  void theResetIsWhenTheRemainingQuotaNextGrows() {
    // burst 2, two taken at once: one left; the next comes back one interval later
    Gcra.Step a = Gcra.decide(0, 0, INTERVAL, 2 * INTERVAL);
    Gcra.Step b = Gcra.decide(a.newTat(), 0, INTERVAL, 2 * INTERVAL);
    assertThat(b.outcome().remaining()).isEqualTo(1);
    assertThat(b.outcome().resetMicros()).isEqualTo(INTERVAL);
    Gcra.Step c = Gcra.decide(b.newTat(), 50 * MS, INTERVAL, 2 * INTERVAL);
    assertThat(c.outcome().remaining()).isZero();
    assertThat(c.outcome().resetMicros()).isEqualTo(150 * MS);
  }
}
