package io.frontdesk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sign-in throttle's bookkeeping, with a clock the test moves. */
class LoginThrottleTest {

  @Test
  void attemptsAreCountedWhenTheyBeginSoParallelOnesAreLockedBeforeAnyFails() {
    LoginThrottle t = new LoginThrottle();
    int let = 0;
    for (int i = 0; i < 40; i++) {
      if (t.begin("10.0.0.1", "admin", 1000) == 0) {
        let++;
      }
    }
    assertThat(let).isEqualTo(LoginThrottle.Limits.DEFAULT.perAccountAndAddress());
  }

  @Test
  void guessingFromOneAddressDoesNotLockTheAccountFromAnother() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < 40; i++) {
      t.begin("10.0.0.1", "admin", 1000);
    }
    assertThat(t.begin("10.0.0.1", "admin", 1000)).isPositive();
    assertThat(t.begin("10.0.0.2", "admin", 1000)).isZero();
  }

  @Test
  void guessesSpreadOverManyAddressesMeetTheAccountsGlobalCeiling() {
    LoginThrottle t = new LoginThrottle();
    int ceiling = LoginThrottle.Limits.DEFAULT.perAccount();
    for (int i = 0; i < ceiling; i++) {
      assertThat(t.begin("10.1." + (i / 250) + "." + (i % 250), "admin", 1000)).as("attempt " + i).isZero();
    }
    assertThat(t.begin("192.168.7.7", "admin", 1000)).as("a fresh address").isPositive();
    assertThat(t.begin("192.168.7.7", "someone-else", 1000)).as("other accounts").isZero();
  }

  @Test
  void oneAddressSprayingManyAccountsIsLocked() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < LoginThrottle.Limits.DEFAULT.perAddress(); i++) {
      assertThat(t.begin("10.0.0.9", "user" + i, 1000)).isZero();
    }
    assertThat(t.begin("10.0.0.9", "one-more", 1000)).isPositive();
  }

  @Test
  void aSuccessTakesItsAttemptBackAndLocksEnd() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < 4; i++) {
      t.begin("10.0.0.1", "admin", 1000);
    }
    assertThat(t.begin("10.0.0.1", "admin", 1000)).isZero();
    t.succeeded("10.0.0.1", "admin");
    assertThat(t.begin("10.0.0.1", "admin", 1000)).isZero();
    for (int i = 0; i < 10; i++) {
      t.begin("10.0.0.1", "admin", 1000);
    }
    long wait = t.begin("10.0.0.1", "admin", 1000);
    assertThat(wait).isPositive().isLessThanOrEqualTo(LoginThrottle.MAX_LOCK_MILLIS);
    assertThat(t.begin("10.0.0.1", "admin", 1000 + wait)).isZero();
  }

  @Test
  void manyDistinctNamesAndAddressesDoNotGrowTheTablePastItsCap() {
    LoginThrottle t = new LoginThrottle(new LoginThrottle.Limits(5, 20, 100, 300));
    int refused = 0;
    for (int i = 0; i < 5000; i++) {
      if (t.begin("10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), "name" + i, 1000) > 0) {
        refused++;
      }
    }
    assertThat(t.size()).isLessThanOrEqualTo(300);
    assertThat(refused).as("full: new names wait (fail closed)").isPositive();
    // Once the window has passed, finished entries make room again.
    assertThat(t.begin("10.9.9.9", "late", 1000 + LoginThrottle.WINDOW_MILLIS + 1)).isZero();
    assertThat(t.size()).isLessThanOrEqualTo(300);
  }
}
