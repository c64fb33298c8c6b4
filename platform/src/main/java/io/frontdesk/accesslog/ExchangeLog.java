package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.proxy.ExchangeObserver;
import io.frontdesk.proxy.ExchangeView;

/**
 * The log phase: builds each finished exchange's record once and hands it to the log sinks. Runs
 * on the exchange's event loop, so it only enqueues.
 */
public final class ExchangeLog implements ExchangeObserver {

  private final LogSinks sinks;

  public ExchangeLog(LogSinks sinks) {
    this.sinks = sinks;
  }

  @Override
  public void completed(ExchangeView exchange) {
    if (sinks.isEmpty()) {
      return;
    }
    AccessLogRecord record = exchange.toRecord();
    sinks.offer(exchange, record);
  }
}
