package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.NoOptionsBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.api.lb.WeightedDraw;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.pf4j.Extension;

/**
 * {@code p2c}: two candidates drawn at random (by weight), the one with fewer requests in flight per
 * unit of weight wins; on a tie, the first drawn. O(1) per pick whatever the pool size, and it
 * avoids the herding of pure least-connections across many nodes.
 */
public final class PowerOfTwoChoices implements LoadBalancer {

  /** Registers the algorithm. */
  @Extension
  public static final class Factory extends NoOptionsBalancerFactory {
    public Factory() {
      super("p2c", PowerOfTwoChoices::new);
    }
  }

  /** Fewer in flight per unit of weight first (a/wa vs b/wb, compared without division). */
  private static final Comparator<UpstreamTarget> IN_FLIGHT_PER_WEIGHT = (x, y) ->
      Long.compare((long) y.effectiveWeight() * x.outstanding(), (long) x.effectiveWeight() * y.outstanding());

  private final SplittableRandom random = new SplittableRandom();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    return WeightedDraw.betterOfTwo(candidates, random, IN_FLIGHT_PER_WEIGHT);
  }
}
