package io.frontdesk.proxy;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.routing.CompiledRoute;

/** A finished exchange, as observers see it. Valid only during {@link ExchangeObserver#completed}. */
public interface ExchangeView {

  /** @return the route that took the request, or {@code null} */
  CompiledRoute route();

  /** @return the status sent (499 when the client left first) */
  int status();

  /** @return nanoseconds from request head to the end of the response */
  long durationNanos();

  /** @return response body bytes sent to the client */
  long responseBytes();

  /** @return the target that answered (or failed last) as "upstream/host:port", or {@code null} */
  String targetLiveKey();

  /** @return whether a trace of this exchange was asked for */
  boolean traced();

  /** @return the exchange as an immutable access-log record (built on each call) */
  AccessLogRecord toRecord();
}
