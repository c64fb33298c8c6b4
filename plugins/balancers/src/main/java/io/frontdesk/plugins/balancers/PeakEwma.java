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
 * {@code peak-ewma}: the candidate with the lowest expected wait, its decayed peak latency times
 * (requests in flight + 1), per unit of weight (Finagle's and Linkerd's choice). A target not yet
 * measured counts as fastest, so new targets get tried. Small pools are scanned; larger ones use two
 * random choices.
 */
public final class PeakEwma implements LoadBalancer {

  /** Registers the algorithm. */
  @Extension
  public static final class Factory extends NoOptionsBalancerFactory {
    public Factory() {
      super("peak-ewma", PeakEwma::new);
    }
  }

  private static final int SCAN_LIMIT = 16;
  private static final Comparator<UpstreamTarget> BY_COST = Comparator.comparingDouble(PeakEwma::cost);
  private final SplittableRandom random = new SplittableRandom();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    if (n > SCAN_LIMIT) {
      return WeightedDraw.betterOfTwo(candidates, random, BY_COST);
    }
    // Start at a random candidate so equal costs do not always favour the first.
    int start = random.nextInt(n);
    UpstreamTarget best = null;
    double bestCost = Double.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      UpstreamTarget t = candidates.get((start + k) % n);
      double c = cost(t);
      if (c < bestCost) {
        best = t;
        bestCost = c;
      }
    }
    return best;
  }

  private static double cost(UpstreamTarget t) {
    return t.latencyEwmaMicros() * (t.outstanding() + 1) / Math.max(1, t.effectiveWeight());
  }
}
