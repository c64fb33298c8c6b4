package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.NoOptionsBalancerFactory;
import io.frontdesk.api.lb.SmoothWeights;
import io.frontdesk.api.lb.UpstreamTarget;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code least-connections}: the candidate with the fewest requests in flight per unit of weight;
 * ties share by weight (smooth weighted round robin), as nginx's least_conn does.
 */
public final class LeastConnections implements LoadBalancer {

  /** Registers the algorithm. */
  @Extension
  public static final class Factory extends NoOptionsBalancerFactory {
    public Factory() {
      super("least-connections", LeastConnections::new);
    }
  }

  private final SmoothWeights ties = new SmoothWeights();
  private final List<UpstreamTarget> tied = new ArrayList<>();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    tied.clear();
    long bestNum = -1;
    long bestDen = 1;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      UpstreamTarget t = candidates.get(i);
      long num = t.outstanding();
      long den = Math.max(1, t.effectiveWeight());
      // num/den < bestNum/bestDen, compared without division
      long cmp = bestNum < 0 ? -1 : Long.compare(num * bestDen, bestNum * den);
      if (cmp < 0) {
        tied.clear();
        bestNum = num;
        bestDen = den;
        tied.add(t);
      } else if (cmp == 0) {
        tied.add(t);
      }
    }
    return ties.pick(tied, tied.size());
  }
}
