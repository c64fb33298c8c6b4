package io.frontdesk.pluginhost;

import io.frontdesk.api.filter.Filter;

/**
 * One filter in a route's chain: the plugin's filter made from one binding, with the binding's
 * place and failure policy. When the plugin is not installed, {@code filter} is {@code null} and
 * {@code unavailableReason} says why; the chain then answers 503 (or skips it when fail-open).
 * A binding whose filter held its event loop too long is tripped ({@link FilterGuard}) and is
 * unavailable the same way until reset.
 */
public record BoundFilter(
    String pluginId,
    String bindingId,
    int priority,
    boolean failOpen,
    Filter filter,
    String unavailableReason,
    FilterStats stats,
    long timeoutMillis,
    FilterGuard guard) {

  /** An entry without stall guard (unavailable ones, tests). */
  public BoundFilter(String pluginId, String bindingId, int priority, boolean failOpen, Filter filter,
      String unavailableReason, FilterStats stats, long timeoutMillis) {
    this(pluginId, bindingId, priority, failOpen, filter, unavailableReason, stats, timeoutMillis, FilterGuard.NONE);
  }

  public boolean available() {
    return filter != null && !guard.tripped();
  }

  @Override
  public String unavailableReason() {
    String tripped = guard.trippedReason();
    return tripped != null && filter != null ? tripped : unavailableReason;
  }

  /**
   * Marks this filter as running on the current thread for the stall watchdog; call
   * {@link FilterWatchdog.Slot#exit()} on the answer once the call returns (also when it throws).
   */
  public FilterWatchdog.Slot enter() {
    return guard.enter(this);
  }
}
