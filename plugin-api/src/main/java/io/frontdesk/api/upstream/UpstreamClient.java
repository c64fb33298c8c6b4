package io.frontdesk.api.upstream;

import io.vertx.core.Future;

/**
 * Sends a filter's own requests (subrequests) to a route's upstream: through the same load
 * balancer, health state, retries and connection pools as the client's requests, so an auth
 * introspection call or a cache revalidation behaves like any other request to that upstream.
 *
 * <p>Obtained from {@link io.frontdesk.api.exchange.Exchange#upstream()}; it stays usable after
 * that exchange has ended (a cache revalidating in the background), on the same event loop. Call
 * {@link #send} on that event loop; the future completes there. The subrequest passes through no
 * filter and is not written to the access log.
 */
public interface UpstreamClient {

  /** @return the upstream's name */
  String upstreamName();

  /**
   * Sends {@code request} and reads its whole response.
   *
   * @return the response; failed with an {@link UpstreamException} when no target answered (after
   *     the route's retry policy), the response was longer than {@link
   *     UpstreamRequest#maxResponseBytes()}, or the timeout passed
   */
  Future<UpstreamResponse> send(UpstreamRequest request);
}
