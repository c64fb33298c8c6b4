package io.frontdesk.proxy;

import io.frontdesk.api.upstream.UpstreamClient;
import io.frontdesk.api.upstream.UpstreamException;
import io.frontdesk.api.upstream.UpstreamRequest;
import io.frontdesk.api.upstream.UpstreamResponse;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.routing.ConfigSnapshot;
import io.vertx.core.Future;

/**
 * Subrequests to one route's upstream from one event loop. The route is looked up in the
 * configuration serving at each send, so a client kept after its exchange (a cache revalidating in
 * the background) follows configuration changes; a removed route fails the send.
 */
final class RouteUpstreamClient implements UpstreamClient {

  private final ProxyServer server;
  private final LoopResources loop;
  private final String routeId;
  private final String upstreamName;
  private final String requestId;
  private final String clientIp;
  private final String host;

  RouteUpstreamClient(ProxyServer server, LoopResources loop, String routeId, String upstreamName, String requestId,
      String clientIp, String host) {
    this.clientIp = clientIp;
    this.host = host;
    this.server = server;
    this.loop = loop;
    this.routeId = routeId;
    this.upstreamName = upstreamName;
    this.requestId = requestId;
  }

  @Override
  public String upstreamName() {
    CompiledRoute route = server.holder().current().route(routeId);
    return route == null ? upstreamName : route.upstream().config().name();
  }

  @Override
  public Future<UpstreamResponse> send(UpstreamRequest request) {
    if (!loop.loop().inEventLoop()) {
      throw new IllegalStateException("send subrequests on the exchange's event loop");
    }
    ConfigSnapshot snapshot = server.holder().current();
    CompiledRoute route = snapshot.route(routeId);
    if (route == null) {
      return Future.failedFuture(new UpstreamException("the route of this subrequest is no longer configured"));
    }
    Subrequest sub = new Subrequest(loop, route, request, clientIp, host, requestId, snapshot::exit);
    snapshot.enter(); // its upstream stays open until the subrequest ends (and exits)
    return sub.start();
  }
}
