package io.frontdesk.plugins.ratelimit;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one binding decided on this node since it was created. The plugin API has no channel for
 * a plugin's own counters, so these are logged (a summary a minute while they move) and each
 * request carries its outcome as the access-log attribute {@code rate-limit.outcome}.
 */
final class BindingCounters {
  final LongAdder allowed = new LongAdder();
  final LongAdder limited = new LongAdder();
  final LongAdder wouldLimit = new LongAdder();
  final LongAdder delayed = new LongAdder();
  final LongAdder concurrencyLimited = new LongAdder();
  final LongAdder storeFailures = new LongAdder();

  /** @return a one-line summary, e.g. for the log */
  String summary() {
    return "allowed=" + allowed.sum() + " limited=" + limited.sum() + " wouldLimit=" + wouldLimit.sum()
        + " delayed=" + delayed.sum() + " concurrencyLimited=" + concurrencyLimited.sum()
        + " storeFailures=" + storeFailures.sum();
  }

  /** @return the sum of every counter: the summary is logged only when it moved */
  long total() {
    return allowed.sum() + limited.sum() + wouldLimit.sum() + delayed.sum() + concurrencyLimited.sum()
        + storeFailures.sum();
  }
}
