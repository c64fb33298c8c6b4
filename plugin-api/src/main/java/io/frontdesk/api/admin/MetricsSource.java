package io.frontdesk.api.admin;

import java.util.List;

/**
 * Metrics of a plugin for Frontdesk's {@code /metrics}: implemented by one of its extension objects,
 * asked at every scrape (on an admin event loop: be quick, do not block). Each sample appears as
 * {@code frontdesk_<name>{labels} value} with its help and type.
 */
public interface MetricsSource {

  /** @return the samples now */
  List<MetricSample> samples();
}
