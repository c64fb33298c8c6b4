package io.frontdesk.plugins.ratelimit;

import io.vertx.core.Future;

/** Where a binding's counts live: in this node's memory, or in Redis for every node at once. */
interface LimitStore {

  /**
   * Decides one request against every limit at once: the request counts against the limits only
   * when it fits all of them (a refused request uses up nothing).
   *
   * @param keys the request's key for each limit of the binding, in order; {@code null} where the
   *     limit does not apply
   * @return one outcome per limit ({@link Outcome#NOT_APPLICABLE} where the key is {@code null});
   *     failed when the store cannot decide (Redis unreachable)
   */
  Future<Outcome[]> acquire(String[] keys);

  /** Releases connections and timers. */
  default void close() {
  }
}
