package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.metrics.Metrics;
import io.frontdesk.proxy.ExchangeObserver;
import io.frontdesk.proxy.ExchangeView;

/**
 * The log phase: builds each finished exchange's record once and hands it to the PostgreSQL
 * writer, the live statistics, the metrics and the log sinks. Runs on the exchange's event loop,
 * so every consumer only counts or enqueues.
 */
public final class ExchangeLog implements ExchangeObserver {

  private final AccessLogWriter writer;
  private final LiveStats live;
  private final Metrics metrics;
  private final LogSinks sinks;

  /** @param writer {@code null} when the access log in PostgreSQL is off */
  public ExchangeLog(AccessLogWriter writer, LiveStats live, Metrics metrics, LogSinks sinks) {
    this.writer = writer;
    this.live = live;
    this.metrics = metrics;
    this.sinks = sinks;
  }

  @Override
  public void completed(ExchangeView exchange) {
    live.record(exchange);
    metrics.record(exchange);
    // The record (a dozen strings, the filter timings, the attributes) is built only when a
    // consumer keeps it: it cost ~3 % of throughput with the access log off and no sinks.
    if (writer == null && sinks.isEmpty()) {
      return;
    }
    AccessLogRecord record = exchange.toRecord();
    if (writer != null) {
      writer.offer(record);
    }
    if (!sinks.isEmpty()) {
      sinks.offer(exchange, record);
    }
  }
}
