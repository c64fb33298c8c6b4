package io.frontdesk.upstream;

/** How one attempt at a target ended, as far as the target's health is concerned. */
public enum Outcome {
  /** The target answered with a non-5xx status. */
  SUCCESS,
  /** The target answered 5xx. */
  HTTP_5XX,
  /** No usable answer: connect failure, reset, timeout, malformed response. */
  GATEWAY_FAILURE,
  /** Not the target's doing (the client left): no effect on its health. */
  NEUTRAL
}
