package io.frontdesk.plugins.headers;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.vertx.core.Future;

/** Applies one binding's header changes; immutable, so one instance serves every exchange. */
final class HeadersFilter implements Filter {

  private final HeaderOps request;
  private final HeaderOps response;

  HeadersFilter(HeaderOps request, HeaderOps response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public Future<FilterResult> onRequest(Exchange exchange) {
    request.applyTo(exchange.request().headers(), exchange);
    return FilterResult.proceed();
  }

  @Override
  public Future<FilterResult> onResponse(Exchange exchange) {
    response.applyTo(exchange.response().headers(), exchange);
    return FilterResult.proceed();
  }
}
