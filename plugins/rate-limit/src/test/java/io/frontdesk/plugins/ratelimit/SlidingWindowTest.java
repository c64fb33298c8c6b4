package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlidingWindowTest {

  static final long MIN = 60_000_000;

  @Test
  void allowsTheLimitPerWindowThenRefusesUntilTheWindowSlides() {
    long now = 10 * MIN; // the start of window 10
    long w = 0;
    long cur = 0;
    long prev = 0;
    for (int i = 0; i < 3; i++) {
      SlidingWindow.Step s = SlidingWindow.decide(w, cur, prev, now, 3, MIN);
      assertThat(s.outcome().allowed()).isTrue();
      assertThat(s.outcome().remaining()).isEqualTo(2 - i);
      w = s.window();
      cur = s.current();
      prev = s.previous();
    }
    SlidingWindow.Step refused = SlidingWindow.decide(w, cur, prev, now, 3, MIN);
    assertThat(refused.outcome().allowed()).isFalse();
    // 3 in this window: only in the next one, once a third of it has passed (3 x 2/3 = 2 < 3)
    assertThat(refused.outcome().retryMicros()).isEqualTo(MIN + MIN / 3);
    assertThat(refused.current()).isEqualTo(3);
  }

  @Test
  void thePreviousWindowCountsByTheShareItStillCovers() {
    // 4 in window 10; at the middle of window 11 they weigh 2: two more fit out of 4
    long mid = 11 * MIN + MIN / 2;
    SlidingWindow.Step a = SlidingWindow.decide(10, 4, 0, mid, 4, MIN);
    assertThat(a.outcome().allowed()).isTrue();
    assertThat(a.previous()).isEqualTo(4);
    SlidingWindow.Step b = SlidingWindow.decide(a.window(), a.current(), a.previous(), mid, 4, MIN);
    assertThat(b.outcome().allowed()).isTrue();
    SlidingWindow.Step c = SlidingWindow.decide(b.window(), b.current(), b.previous(), mid, 4, MIN);
    assertThat(c.outcome().allowed()).isFalse();
    // 2 counted in this window: one more fits when 4 x (1 - e) <= 1, at three quarters of it
    assertThat(c.outcome().retryMicros()).isEqualTo(MIN / 4);
  }

  @Test
  void countsOlderThanThePreviousWindowAreForgotten() {
    SlidingWindow.Step s = SlidingWindow.decide(3, 100, 100, 10 * MIN, 5, MIN);
    assertThat(s.outcome().allowed()).isTrue();
    assertThat(s.previous()).isZero();
    assertThat(s.current()).isEqualTo(1);
  }
}
