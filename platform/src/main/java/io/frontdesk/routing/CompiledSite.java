package io.frontdesk.routing;

import io.frontdesk.config.Site;
import java.util.List;

/** A site ready for the proxy: its routes in match order. */
public final class CompiledSite {

  private final Site site;
  private RouteTable<CompiledRoute> routes = new RouteTable<>(List.of());

  public CompiledSite(Site site) {
    this.site = site;
  }

  /** Set once while compiling (routes point back at their site). */
  void routes(RouteTable<CompiledRoute> routes) {
    this.routes = routes;
  }

  public Site site() {
    return site;
  }

  public RouteTable<CompiledRoute> routes() {
    return routes;
  }
}
