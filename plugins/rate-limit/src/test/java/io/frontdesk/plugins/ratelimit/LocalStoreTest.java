package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalStoreTest {

  static Limit limit(String key, String rate, long burst) {
    return new Limit(key + " " + rate, KeySpec.parse(List.of(key), 32, 64), Rate.parse(rate),
        Limit.Algorithm.GCRA, burst, -1);
  }

  @Test
  void aMillionDistinctKeysStayWithinTheKeyBound() {
    AtomicLong clock = new AtomicLong(1_000_000);
    LocalStore store = new LocalStore(List.of(limit("client-ip", "1/h", 0)), 10_000, clock::get);
    String busy = "198.51.100.1";
    assertThat(store.decide(new String[] {busy})[0].allowed()).isTrue();
    for (int i = 0; i < 1_000_000; i++) {
      String flood = "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff) + "-" + (i >> 24);
      assertThat(store.decide(new String[] {flood})[0].allowed()).isTrue();
      if (i % 100 == 0) {
        // a key in steady use keeps its state through the flood: still limited
        assertThat(store.decide(new String[] {busy})[0].allowed()).as("busy key after %d flood keys", i).isFalse();
      }
      clock.addAndGet(1);
    }
    assertThat(store.size(0)).isLessThanOrEqualTo(10_000);
  }

  @Test
  void aRequestRefusedByOneLimitUsesUpNothingOfTheOthers() {
    AtomicLong clock = new AtomicLong(1_000_000);
    LocalStore store = new LocalStore(List.of(limit("client-ip", "2/h", 1), limit("consumer", "1/h", 0)), 100,
        clock::get);
    assertThat(store.decide(new String[] {"ip", "alice"})).extracting(Outcome::allowed).containsExactly(true, true);
    assertThat(store.decide(new String[] {"ip", "alice"})).extracting(Outcome::allowed).containsExactly(true, false);
    // the refused request gave back the address's second request: bob may use it
    assertThat(store.decide(new String[] {"ip", "bob"})).extracting(Outcome::allowed).containsExactly(true, true);
    assertThat(store.decide(new String[] {"ip", "carol"})).extracting(Outcome::allowed).containsExactly(false, true);
  }

  @Test
  void idleKeysAreForgottenOnceTheirQuotaIsFullAgain() {
    assertThat(LocalStore.idleTimeout(limit("client-ip", "5/s", 0)).toMillis()).isEqualTo(1200);
    assertThat(LocalStore.idleTimeout(limit("client-ip", "1000/h", 999)).toSeconds()).isEqualTo(3601);
  }
}
