package io.frontdesk.accesslog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per-second traffic of this node: requests, status mix, bytes and a latency histogram
 * (HdrHistogram) for the whole node and per site, route and upstream target. Recording is
 * lock-free from every event loop; once a second {@link #tick} turns the counts into a sample.
 */
public final class LiveStats {

  private static final int HISTORY_SECONDS = 300;
  private static final long MAX_MICROS = 120_000_000L;

  /** Counts of one series (the node, a site, a route or a target) since the last tick. */
  static final class Series {
    final String name;
    final LongAdder requests = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder[] classes = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    final Recorder latency = new Recorder(MAX_MICROS, 2);
    Histogram reuse;
    long idleTicks;

    Series(String name) {
      this.name = name;
    }

    void record(int status, long micros, long responseBytes) {
      requests.increment();
      bytes.add(responseBytes);
      int c = status / 100 - 1;
      classes[c >= 0 && c < 5 ? c : 4].increment();
      latency.recordValue(Math.min(Math.max(micros, 0), MAX_MICROS));
    }

    /** @return this second's figures, or {@code null} when nothing happened */
    JsonObject sample() {
      long n = requests.sumThenReset();
      long b = bytes.sumThenReset();
      long[] cls = new long[5];
      for (int i = 0; i < 5; i++) {
        cls[i] = classes[i].sumThenReset();
      }
      reuse = latency.getIntervalHistogram(reuse);
      if (n == 0) {
        idleTicks++;
        return null;
      }
      idleTicks = 0;
      return new JsonObject().put("name", name).put("requests", n).put("bytes", b)
          .put("s1xx", cls[0]).put("s2xx", cls[1]).put("s3xx", cls[2]).put("s4xx", cls[3]).put("s5xx", cls[4])
          .put("p50", reuse.getValueAtPercentile(50)).put("p95", reuse.getValueAtPercentile(95))
          .put("p99", reuse.getValueAtPercentile(99)).put("max", reuse.getMaxValue());
    }
  }

  private final String nodeId;
  private final Series all = new Series("all");
  private final Map<String, Series> sites = new ConcurrentHashMap<>();
  private final Map<String, Series> routes = new ConcurrentHashMap<>();
  private final Map<String, Series> targets = new ConcurrentHashMap<>();
  private final ArrayDeque<JsonObject> history = new ArrayDeque<>();

  public LiveStats(String nodeId) {
    this.nodeId = nodeId;
  }

  /** From an event loop, for every finished exchange. */
  public void record(io.frontdesk.proxy.ExchangeView x) {
    int status = x.status();
    long micros = x.durationNanos() / 1000;
    long bytes = x.responseBytes();
    all.record(status, micros, bytes);
    io.frontdesk.routing.CompiledRoute route = x.route();
    if (route != null) {
      series(sites, route.site().site().name()).record(status, micros, bytes);
      series(routes, route.route().name()).record(status, micros, bytes);
    }
    String target = x.targetLiveKey();
    if (target != null) {
      series(targets, target).record(status, micros, bytes);
    }
  }

  /** get() first: computeIfAbsent locks a bin even when the key is there. */
  private static Series series(java.util.Map<String, Series> m, String key) {
    Series s = m.get(key);
    return s != null ? s : m.computeIfAbsent(key, Series::new);
  }

  /**
   * Closes the second that ended: the node's figures plus the busiest sites, routes and targets.
   * Called once a second from one thread.
   */
  public synchronized JsonObject tick(long epochSecond) {
    JsonObject total = all.sample();
    JsonObject s = new JsonObject().put("ts", epochSecond).put("node", nodeId)
        .put("all", total == null ? empty() : total)
        .put("sites", top(sites, 20)).put("routes", top(routes, 20)).put("targets", top(targets, 30));
    history.addLast(s);
    while (history.size() > HISTORY_SECONDS) {
      history.removeFirst();
    }
    return s;
  }

  static JsonObject empty() {
    return new JsonObject().put("name", "all").put("requests", 0).put("bytes", 0).put("s1xx", 0).put("s2xx", 0)
        .put("s3xx", 0).put("s4xx", 0).put("s5xx", 0).put("p50", 0).put("p95", 0).put("p99", 0).put("max", 0);
  }

  private static JsonArray top(Map<String, Series> series, int n) {
    List<JsonObject> samples = new ArrayList<>();
    series.values().removeIf(x -> x.idleTicks > 600); // forget what is quiet for ten minutes
    for (Series x : series.values()) {
      JsonObject j = x.sample();
      if (j != null) {
        samples.add(j);
      }
    }
    samples.sort(Comparator.comparingLong((JsonObject j) -> j.getLong("requests")).reversed());
    return new JsonArray(new ArrayList<>(samples.subList(0, Math.min(n, samples.size()))));
  }

  /** @return this node's last {@code seconds} samples, oldest first */
  public synchronized List<JsonObject> history(int seconds) {
    List<JsonObject> out = new ArrayList<>(history);
    return out.subList(Math.max(0, out.size() - seconds), out.size());
  }
}
