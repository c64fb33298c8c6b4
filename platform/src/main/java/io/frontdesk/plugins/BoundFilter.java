package io.frontdesk.plugins;

import io.frontdesk.api.filter.Filter;

/**
 * One filter in a route's chain: the plugin's filter made from one binding, with the binding's
 * place and failure policy. When the plugin is not installed, {@code filter} is {@code null} and
 * {@code unavailableReason} says why; the chain then answers 503 (or skips it when fail-open).
 */
public record BoundFilter(
    String pluginId,
    String bindingId,
    int priority,
    boolean failOpen,
    Filter filter,
    String unavailableReason,
    FilterStats stats,
    long timeoutMillis) {

  public boolean available() {
    return filter != null;
  }
}
