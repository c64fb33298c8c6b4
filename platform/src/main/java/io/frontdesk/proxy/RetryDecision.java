package io.frontdesk.proxy;

import io.frontdesk.config.RetryPolicy;
import java.util.function.BooleanSupplier;

/**
 * Whether a failed attempt is tried again, and otherwise which status the client gets. A pure
 * function of the failure and the exchange's facts: no sockets, no clocks, so every rule has a
 * line in a table of tests.
 */
final class RetryDecision {

  /** Ways an attempt can fail before a usable response head. */
  enum Failure {
    CONNECT, CONNECT_TIMEOUT, RESET, TIMEOUT, BAD_RESPONSE,
    /** No connection to the target came free in time: this node's pool limit, not the target. */
    POOL_TIMEOUT
  }

  /** What happens next. */
  enum Verdict {
    /** Another target not tried yet, counted against the policy and the budget. */
    RETRY_ANOTHER_TARGET,
    /** The same target on a fresh connection: a pooled connection had gone stale (not counted). */
    RETRY_FRESH_CONNECTION,
    /** No retry: the client gets {@link #status} */
    GIVE_UP
  }

  /**
   * The exchange's facts at the moment of a failure.
   *
   * @param idempotent the method may be sent twice (GET, HEAD, OPTIONS, PUT, DELETE, TRACE)
   * @param replayable nothing was sent that cannot be sent again (no upgrade; the body sent so far is kept)
   * @param retriesSoFar counted retries of this exchange
   * @param anotherCandidate a target not tried yet has capacity
   * @param staleConnection a reused pooled connection failed before any response byte, and the
   *     exchange has not used its one fresh-connection retry yet
   * @param requestComplete the client's request has been read whole (needed to retry on a status)
   */
  record Facts(boolean idempotent, boolean replayable, int retriesSoFar, boolean anotherCandidate,
      boolean staleConnection, boolean requestComplete) {
  }

  private RetryDecision() {
  }

  /**
   * @param budget asked last, only when everything else allows a retry (asking takes from it)
   */
  static Verdict afterFailure(Failure kind, Facts f, RetryPolicy policy, BooleanSupplier budget) {
    if (kind == Failure.RESET && f.staleConnection() && f.replayable() && f.idempotent()) {
      return Verdict.RETRY_FRESH_CONNECTION;
    }
    boolean allowedKind = switch (kind) {
      case CONNECT, CONNECT_TIMEOUT, POOL_TIMEOUT -> policy.on("connect-failure"); // never reached the target
      case RESET -> policy.on("reset") && f.idempotent();
      case TIMEOUT -> policy.on("timeout") && f.idempotent();
      case BAD_RESPONSE -> false;
    };
    return allowedKind && mayRetry(f, policy, budget) ? Verdict.RETRY_ANOTHER_TARGET : Verdict.GIVE_UP;
  }

  /** @return the status the client gets when a failure is not retried */
  static int status(Failure kind) {
    return switch (kind) {
      case TIMEOUT, CONNECT_TIMEOUT -> 504;
      case POOL_TIMEOUT -> 503;
      default -> 502;
    };
  }

  /** @return whether a 502, 503 or 504 from the target is retried on another target */
  static boolean afterStatus(int status, Facts f, RetryPolicy policy, BooleanSupplier budget) {
    return policy.on(Integer.toString(status)) && f.idempotent() && f.requestComplete() && mayRetry(f, policy, budget);
  }

  private static boolean mayRetry(Facts f, RetryPolicy policy, BooleanSupplier budget) {
    return f.replayable() && f.retriesSoFar() < policy.attempts() && f.anotherCandidate() && budget.getAsBoolean();
  }
}
