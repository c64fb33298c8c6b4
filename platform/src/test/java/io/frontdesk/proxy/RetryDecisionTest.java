package io.frontdesk.proxy;

import static io.frontdesk.proxy.RetryDecision.Verdict.GIVE_UP;
import static io.frontdesk.proxy.RetryDecision.Verdict.RETRY_ANOTHER_TARGET;
import static io.frontdesk.proxy.RetryDecision.Verdict.RETRY_FRESH_CONNECTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.config.RetryPolicy;
import io.frontdesk.proxy.RetryDecision.Facts;
import io.frontdesk.proxy.RetryDecision.Failure;
import io.frontdesk.proxy.RetryDecision.Verdict;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {

  static final RetryPolicy DEFAULT = new RetryPolicy(1, Set.of("connect-failure", "reset"), 20, 10, 65536);
  static final RetryPolicy ALL = new RetryPolicy(2, Set.of("connect-failure", "reset", "timeout", "502", "503", "504"),
      20, 10, 65536);

  @ParameterizedTest(name = "{0} idempotent={1} replayable={2} retries={3} another={4} stale={5} budget={6} -> {7}")
  @CsvSource({
      // failure,     idem,  replay, retries, another, stale, budget, verdict
      "CONNECT,         false, true,  0, true,  false, true,  RETRY_ANOTHER_TARGET", // never reached the target
      "CONNECT_TIMEOUT, false, true,  0, true,  false, true,  RETRY_ANOTHER_TARGET",
      "POOL_TIMEOUT,    false, true,  0, true,  false, true,  RETRY_ANOTHER_TARGET", // no connection came free
      "POOL_TIMEOUT,    true,  true,  0, false, false, true,  GIVE_UP",
      "CONNECT,         true,  true,  1, true,  false, true,  GIVE_UP",              // attempts used up
      "CONNECT,         true,  true,  0, false, false, true,  GIVE_UP",              // nobody left to try
      "CONNECT,         true,  true,  0, true,  false, false, GIVE_UP",              // budget spent
      "CONNECT,         true,  false, 0, true,  false, true,  GIVE_UP",              // body gone
      "RESET,           true,  true,  0, true,  false, true,  RETRY_ANOTHER_TARGET",
      "RESET,           false, true,  0, true,  false, true,  GIVE_UP",              // a POST may have been acted on
      "RESET,           true,  true,  0, false, true,  false, RETRY_FRESH_CONNECTION", // stale pooled connection
      "RESET,           false, true,  0, true,  true,  true,  GIVE_UP",
      "TIMEOUT,         true,  true,  0, true,  false, true,  GIVE_UP",              // not in retryOn by default
      "BAD_RESPONSE,    true,  true,  0, true,  false, true,  GIVE_UP",
  })
  void decidesByFailureFactsPolicyAndBudget(Failure kind, boolean idempotent, boolean replayable, int retries,
      boolean another, boolean stale, boolean budget, Verdict expected) {
    Facts f = new Facts(idempotent, replayable, retries, another, stale, true);
    assertThat(RetryDecision.afterFailure(kind, f, DEFAULT, () -> budget)).isEqualTo(expected);
  }

  @Test
  void timeoutsAndStatusesAreRetriedWhenThePolicyListsThemForIdempotentMethods() {
    Facts get = new Facts(true, true, 0, true, false, true);
    Facts post = new Facts(false, true, 0, true, false, true);
    Facts unfinished = new Facts(true, true, 0, true, false, false);
    assertThat(RetryDecision.afterFailure(Failure.TIMEOUT, get, ALL, () -> true)).isEqualTo(RETRY_ANOTHER_TARGET);
    assertThat(RetryDecision.afterFailure(Failure.TIMEOUT, post, ALL, () -> true)).isEqualTo(GIVE_UP);
    assertThat(RetryDecision.afterStatus(503, get, ALL, () -> true)).isTrue();
    assertThat(RetryDecision.afterStatus(503, post, ALL, () -> true)).isFalse();
    assertThat(RetryDecision.afterStatus(503, unfinished, ALL, () -> true)).isFalse();
    assertThat(RetryDecision.afterStatus(503, get, DEFAULT, () -> true)).isFalse();
    assertThat(RetryDecision.afterStatus(500, get, ALL, () -> true)).isFalse();
  }

  @Test
  void theBudgetIsAskedOnlyWhenEverythingElseAllowsARetry() {
    AtomicInteger asked = new AtomicInteger();
    RetryDecision.afterFailure(Failure.RESET, new Facts(false, true, 0, true, false, true), DEFAULT,
        () -> asked.incrementAndGet() > 0);
    RetryDecision.afterFailure(Failure.CONNECT, new Facts(true, true, 0, false, false, true), DEFAULT,
        () -> asked.incrementAndGet() > 0);
    assertThat(asked).hasValue(0);
    RetryDecision.afterFailure(Failure.CONNECT, new Facts(true, true, 0, true, false, true), DEFAULT,
        () -> asked.incrementAndGet() > 0);
    assertThat(asked).hasValue(1);
  }

  @Test
  void aTimeoutIs504AndEverythingElse502() {
    assertThat(RetryDecision.status(Failure.TIMEOUT)).isEqualTo(504);
    assertThat(RetryDecision.status(Failure.CONNECT_TIMEOUT)).isEqualTo(504);
    assertThat(RetryDecision.status(Failure.CONNECT)).isEqualTo(502);
    assertThat(RetryDecision.status(Failure.POOL_TIMEOUT)).isEqualTo(503); // this node's limit, not the target
    assertThat(RetryDecision.status(Failure.RESET)).isEqualTo(502);
    assertThat(RetryDecision.status(Failure.BAD_RESPONSE)).isEqualTo(502);
  }
}
