package io.frontdesk.api.exchange;

import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.RequestBody;
import io.frontdesk.api.http.RequestHead;
import io.frontdesk.api.http.ResponseHead;
import io.frontdesk.api.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * One request/response exchange passing through Frontdesk, as filters see it.
 *
 * <p>An exchange lives on one event loop: every filter callback runs there, and every method here
 * must be called there (futures returned by {@link #executeBlocking} complete there too). Never
 * block in a filter; move blocking work to {@link #executeBlocking}.
 */
public interface Exchange {

  /** @return the request id, also sent upstream as {@code X-Request-Id} */
  String requestId();

  /** @return when the request head arrived */
  Instant startTime();

  /** @return the client's address: the TCP peer, or the address a trusted proxy forwarded */
  String clientIp();

  /** @return the TCP peer that connected to Frontdesk */
  InetSocketAddress peerAddress();

  /** @return TLS facts, or {@code null} for a plaintext connection */
  TlsInfo tls();

  /** @return the matched site's id */
  String siteId();

  /** @return the matched site's name */
  String siteName();

  /** @return the matched route's id */
  String routeId();

  /** @return the matched route's name */
  String routeName();

  /** @return the route's upstream id */
  String upstreamId();

  /** @return the route's upstream name */
  String upstreamName();

  /** @return the chosen target as {@code host:port}; {@code null} before one is chosen */
  String targetAddress();

  /**
   * @return the request as it will be sent upstream: route rewrite applied, forwarding headers set;
   *     mutable during the request phase
   */
  RequestHead request();

  /**
   * @return the request as the client sent it, read-only and unchanged by rewrites and filters (a
   *     cache key or a WAF reads this one)
   */
  ClientRequest clientRequest();

  /**
   * Reads the request body, up to {@code maxBytes}, before this filter decides. Call in the request
   * phase, before the body started upstream; the filter's future usually composes on this one. The
   * body is still forwarded upstream whole, streamed on from what was read: the client sends it
   * once. Memory held is bounded by {@code maxBytes}. A client that asked {@code Expect:
   * 100-continue} is told to send. Several filters may read; each gets the body up to its own
   * limit.
   *
   * @param maxBytes how much to read at most, 0 to {@link RequestBody#MAX_READ_BYTES}
   * @return the body, complete or (when longer than {@code maxBytes}) its first {@code maxBytes}
   *     bytes; failed when the client's body turns out malformed or the client goes away (the
   *     exchange then ends on its own), or when the filters let the request go before the read was
   *     answered (make the filter's result wait on this future)
   * @throws IllegalStateException outside the request phase (once the filters let the request go)
   */
  Future<RequestBody> readRequestBody(int maxBytes);

  /**
   * @return a client for subrequests to this route's upstream, through its balancer, health state,
   *     retries and connection pools; usable after this exchange has ended, on this event loop
   */
  UpstreamClient upstream();

  /** @return the response head; {@code null} before the response phase */
  ResponseHead response();

  /** @return facts that filters share with each other, the access log and the tracer */
  Attributes attributes();

  /** @return whether the client asked for a protocol upgrade (e.g. WebSocket) */
  boolean isUpgrade();

  /**
   * Transforms the request body on its way upstream. Call during the request phase; transformers run
   * in the order they were added. Adding one makes the body length unknown, so it is sent chunked.
   */
  void transformRequestBody(BodyTransformer transformer);

  /**
   * Transforms the response body on its way to the client. Call during the response phase;
   * transformers run in the order they were added (the filter nearest the upstream first). Adding one
   * removes {@code Content-Length}: the filter must set headers such as {@code Content-Encoding}.
   */
  void transformResponseBody(BodyTransformer transformer);

  /**
   * Runs blocking work on a worker thread.
   *
   * @return a future completed on this exchange's event loop
   */
  <T> Future<T> executeBlocking(Callable<T> work);

  /** @return the Vert.x instance, for clients (HTTP, Redis, …) a filter needs */
  Vertx vertx();
}
