package io.frontdesk.proxy;

import io.frontdesk.proxy.RequestIntake.Refusal;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.routing.CompiledSite;
import io.frontdesk.routing.ConfigSnapshot;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Finds a checked request's route: the site by host, the route by method, path and headers, then
 * the route's policy.
 */
final class RouteFinder {

  /**
   * @param route the matched route, or {@code null}
   * @param refusal why the request goes no further, or {@code null}
   */
  record Found(CompiledRoute route, Refusal refusal) {}

  private RouteFinder() {}

  static Found find(ConfigSnapshot snapshot, RequestIntake intake, long defaultMaxBodyBytes) {
    CompiledSite site = snapshot.site(intake.host());
    if (site == null) {
      return new Found(null, new Refusal(404, "no site for host '" + intake.host() + "'", false));
    }
    HttpRequest request = intake.request();
    CompiledRoute route = site.routes().match(request.method().name(), intake.path(), request.headers()::get);
    if (route == null) {
      return new Found(null, new Refusal(404, "no route of site '" + site.site().name() + "' matches "
          + request.method() + " " + intake.path(), false));
    }
    return new Found(route, intake.checkRoutePolicy(route.route().policy(), route.route().name(), defaultMaxBodyBytes));
  }
}
