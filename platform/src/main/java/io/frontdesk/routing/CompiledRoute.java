package io.frontdesk.routing;

import io.frontdesk.config.Route;
import io.frontdesk.pluginhost.FilterChain;
import io.frontdesk.upstream.CompiledUpstream;

/** A route ready for the proxy: its rules, its site, its upstream and its filter chain. */
public final class CompiledRoute implements RouteTable.Entry {

  private final RouteRule rule;
  private final CompiledSite site;
  private final CompiledUpstream upstream;
  private final FilterChain chain;

  public CompiledRoute(RouteRule rule, CompiledSite site, CompiledUpstream upstream, FilterChain chain) {
    this.rule = rule;
    this.site = site;
    this.upstream = upstream;
    this.chain = chain;
  }

  @Override
  public RouteRule rule() {
    return rule;
  }

  public Route route() {
    return rule.route();
  }

  public CompiledSite site() {
    return site;
  }

  public CompiledUpstream upstream() {
    return upstream;
  }

  public FilterChain chain() {
    return chain;
  }
}
