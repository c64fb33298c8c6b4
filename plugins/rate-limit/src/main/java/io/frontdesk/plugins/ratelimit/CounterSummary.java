package io.frontdesk.plugins.ratelimit;

import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a binding's counters once a minute while they move (INFO), so an operator sees totals of
 * allowed, limited and would-have-limited requests without a metrics channel in the plugin API.
 * Started by the first request (a trial of the configuration starts nothing), stopped with the
 * filter.
 */
final class CounterSummary {

  private static final Logger log = LoggerFactory.getLogger(CounterSummary.class);
  static final long EVERY_MILLIS = 60_000;

  private final Vertx vertx;
  private final long everyMillis;
  private final BindingCounters counters;
  private final String binding;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile long timer = -1;
  private long lastTotal;

  CounterSummary(Vertx vertx, BindingCounters counters, RateLimitConfig config) {
    this(vertx, EVERY_MILLIS, counters, config);
  }

  CounterSummary(Vertx vertx, long everyMillis, BindingCounters counters, RateLimitConfig config) {
    this.vertx = vertx;
    this.everyMillis = everyMillis;
    this.counters = counters;
    this.binding = Stream.concat(config.limits().stream().map(Limit::name),
        config.concurrency().stream().map(ConcurrencyLimit::name)).collect(Collectors.joining(", ", "[", "]"))
        + " (" + config.mode().name().toLowerCase(java.util.Locale.ROOT) + (config.dryRun() ? ", dry run" : "") + ")";
  }

  void start() {
    if (!started.get() && started.compareAndSet(false, true)) {
      timer = vertx.setPeriodic(everyMillis, id -> log());
    }
  }

  private void log() {
    long total = counters.total();
    if (total != lastTotal) {
      lastTotal = total;
      log.info("rate-limit {}: {}", binding, counters.summary());
    }
  }

  void stop() {
    long t = timer;
    if (t >= 0) {
      vertx.cancelTimer(t);
    }
  }
}
