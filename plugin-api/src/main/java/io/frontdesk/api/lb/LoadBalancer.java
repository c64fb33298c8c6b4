package io.frontdesk.api.lb;

import java.util.List;

/**
 * Picks the target of an upstream that serves one exchange.
 *
 * <p>The host makes one instance per upstream and event loop, and calls it only from that loop, so
 * an implementation may keep unsynchronised state (counters, current weights). It is replaced when
 * the upstream's configuration changes.
 */
public interface LoadBalancer {

  /**
   * @param candidates the healthy targets that have capacity left, never empty, in configuration
   *     order; a retry excludes targets already tried
   * @param request what the balancer may know of the request (to hash on a header, cookie, path or
   *     the client's address); read-only
   * @return one of {@code candidates}
   */
  UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request);
}
