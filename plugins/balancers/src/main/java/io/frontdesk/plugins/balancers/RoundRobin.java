package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.NoOptionsBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import java.util.List;
import org.pf4j.Extension;

/** {@code round-robin}: each candidate in turn, weights ignored. */
public final class RoundRobin implements LoadBalancer {

  /** Registers the algorithm. */
  @Extension
  public static final class Factory extends NoOptionsBalancerFactory {
    public Factory() {
      super("round-robin", RoundRobin::new);
    }
  }

  private int next;

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    int i = next++ & Integer.MAX_VALUE;
    return candidates.get(i % candidates.size());
  }
}
