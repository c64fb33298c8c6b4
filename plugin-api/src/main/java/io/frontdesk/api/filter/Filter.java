package io.frontdesk.api.filter;

import io.frontdesk.api.exchange.Exchange;
import io.vertx.core.Future;

/**
 * One step of the chain around every exchange of the routes a plugin is bound to.
 *
 * <p>Phases, in order: {@link #onRequest} (chain order: lowest priority first) may inspect or
 * change the request or answer it locally; then a load balancer picks a target; {@link
 * #onResponse} (reverse order) may change the status and headers, add a body transformer or replace
 * the response; {@link #onComplete} tells the filter the exchange is over. Every method has a no-op
 * default: implement only what you need.
 *
 * <p>Methods run on the exchange's event loop and must not block. Return {@link
 * FilterResult#proceed()} to continue. A method that throws or whose future fails answers the
 * exchange with 500 (or is skipped when its binding is fail-open) and is counted against the plugin.
 * One filter instance serves many exchanges at once: keep per-exchange state in the exchange's
 * attributes.
 */
public interface Filter {

  /** The request phase: headers have arrived; the body has not been forwarded yet. */
  default Future<FilterResult> onRequest(Exchange exchange) {
    return FilterResult.proceed();
  }

  /**
   * The response phase: the response head is known (from the upstream, or a local response of a
   * filter earlier in the chain). Returning {@link FilterResult#respond} replaces the response.
   */
  default Future<FilterResult> onResponse(Exchange exchange) {
    return FilterResult.proceed();
  }

  /** The exchange has ended (completed, failed or aborted by the client). Must be quick. */
  default void onComplete(Exchange exchange) {
  }

  /** Releases resources once no configuration uses this filter any more. */
  default void close() {
  }
}
