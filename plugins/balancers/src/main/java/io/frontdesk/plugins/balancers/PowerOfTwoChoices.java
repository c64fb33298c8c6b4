package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.WeightedDraw;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.vertx.core.json.JsonObject;
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
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String algorithm() {
      return "p2c";
    }

    @Override
    public JsonObject configSchema() {
      return Schemas.empty();
    }

    @Override
    public LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
      return new PowerOfTwoChoices();
    }
  }

  private final SplittableRandom random = new SplittableRandom();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int a = WeightedDraw.draw(candidates, random, -1);
    int b = WeightedDraw.draw(candidates, random, a);
    UpstreamTarget ta = candidates.get(a);
    UpstreamTarget tb = candidates.get(b);
    long la = (long) tb.effectiveWeight() * ta.outstanding();
    long lb = (long) ta.effectiveWeight() * tb.outstanding();
    return lb < la ? tb : ta;
  }
}
