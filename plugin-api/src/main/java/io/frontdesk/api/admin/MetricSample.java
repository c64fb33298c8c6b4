package io.frontdesk.api.admin;

import java.util.Map;
import java.util.Objects;

/**
 * One sample of a plugin's metrics.
 *
 * @param name lower-case letters, digits and {@code _}, starting with the plugin's id, e.g. {@code
 *     cache_hits_total} (shown as {@code frontdesk_cache_hits_total}); counters end in {@code _total}
 * @param help one line saying what it counts
 * @param counter whether it only grows (else a gauge)
 * @param labels label names and values, e.g. {@code binding}
 */
public record MetricSample(String name, String help, boolean counter, Map<String, String> labels, double value) {

  public MetricSample {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("a metric name is lower-case letters, digits and _: " + name);
    }
    labels = Map.copyOf(labels);
  }
}
