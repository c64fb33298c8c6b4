package io.frontdesk.upstream;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.NoOptionsBalancerFactory;
import io.frontdesk.api.lb.SmoothWeights;
import io.frontdesk.api.lb.UpstreamTarget;
import java.util.List;

/**
 * Smooth weighted round robin, nginx's algorithm: each pick adds every candidate's weight to its
 * running score, takes the highest and subtracts the total from it. Heavy targets get their share
 * spread out (5:1:1 gives a a b a c a a, not a a a a a b c). Built in, so an upstream always has a
 * balancer, and the default.
 */
public final class WeightedRoundRobin implements LoadBalancer {

  /** The factory the platform registers under {@code weighted-round-robin}. */
  public static final class Factory extends NoOptionsBalancerFactory {
    public Factory() {
      super("weighted-round-robin", WeightedRoundRobin::new);
    }
  }

  private final SmoothWeights weights = new SmoothWeights();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    return weights.pick(candidates);
  }
}
