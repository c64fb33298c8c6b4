package io.frontdesk.proxy;

/** Told about every finished exchange (the access log, live stats and metrics listen here). */
public interface ExchangeObserver {

  /** Called on the exchange's event loop when it has ended; must not block. */
  void completed(ExchangeView exchange);

  ExchangeObserver NONE = ex -> {
  };
}
