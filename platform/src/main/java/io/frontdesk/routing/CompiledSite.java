package io.frontdesk.routing;

import io.frontdesk.config.Site;
import java.util.List;

/** A site ready for the proxy: its routes in match order. */
public final class CompiledSite {

  private final Site site;
  private RouteTable<CompiledRoute> routes = new RouteTable<>(List.of());
  private boolean anyFilters;

  public CompiledSite(Site site) {
    this.site = site;
  }

  /** Set once while compiling (routes point back at their site). */
  void routes(RouteTable<CompiledRoute> routes) {
    this.routes = routes;
    this.anyFilters = routes.inOrder().stream().anyMatch(r -> !r.chain().isEmpty());
  }

  /** @return whether a route of this site has filters (which may read the client's request as it came) */
  public boolean anyFilters() {
    return anyFilters;
  }

  public Site site() {
    return site;
  }

  public RouteTable<CompiledRoute> routes() {
    return routes;
  }
}
