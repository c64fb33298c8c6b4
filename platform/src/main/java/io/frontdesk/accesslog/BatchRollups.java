package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's contribution to the per-minute and per-hour rollups (requests, bytes and time per
 * site, route and status; the latency histogram per site and route), summed on the node: the
 * database then updates one rollup row per key instead of two per stored row.
 */
final class BatchRollups {

  /** One row of {@code access_log_rollup}; bucket in epoch seconds. */
  record Totals(String grain, long bucket, String site, String route, int status, long requests,
      long requestBytes, long responseBytes, long durationMicros) {
  }

  /** One row of {@code access_log_latency}. */
  record Latency(String grain, long bucket, String site, String route, int lb, long requests) {
  }

  private record TotalsKey(String grain, long bucket, String site, String route, int status) {
  }

  private record LatencyKey(String grain, long bucket, String site, String route, int lb) {
  }

  private final List<Totals> totals = new ArrayList<>();
  private final List<Latency> latency = new ArrayList<>();

  static BatchRollups of(List<LogRow> rows) {
    Map<TotalsKey, long[]> t = new HashMap<>();
    Map<LatencyKey, long[]> l = new HashMap<>();
    for (LogRow row : rows) {
      AccessLogRecord r = row.record();
      String site = r.site() == null ? "" : r.site();
      String route = r.route() == null ? "" : r.route();
      long second = r.timestamp().getEpochSecond();
      int lb = latencyBucket(r.durationMicros());
      for (int g = 0; g < 2; g++) {
        String grain = g == 0 ? "m" : "h";
        long bucket = second - Math.floorMod(second, g == 0 ? 60 : 3600);
        long[] sums = t.computeIfAbsent(new TotalsKey(grain, bucket, site, route, r.status()), k -> new long[4]);
        sums[0]++;
        sums[1] += r.requestBytes();
        sums[2] += r.responseBytes();
        sums[3] += r.durationMicros();
        l.computeIfAbsent(new LatencyKey(grain, bucket, site, route, lb), k -> new long[1])[0]++;
      }
    }
    BatchRollups out = new BatchRollups();
    t.forEach((k, v) -> out.totals.add(new Totals(k.grain(), k.bucket(), k.site(), k.route(), k.status(), v[0], v[1],
        v[2], v[3])));
    l.forEach((k, v) -> out.latency.add(new Latency(k.grain(), k.bucket(), k.site(), k.route(), k.lb(), v[0])));
    return out;
  }

  List<Totals> totals() {
    return totals;
  }

  List<Latency> latency() {
    return latency;
  }

  /**
   * The bucket of the latency histogram, as the database's {@code access_log_latency_bucket}:
   * 0 under 100 µs, then 8 per decade up to 48.
   */
  static int latencyBucket(long micros) {
    if (micros < 100) {
      return 0;
    }
    return (int) Math.min(48, 1 + Math.floor(8 * Math.log10(micros / 100.0)));
  }
}
