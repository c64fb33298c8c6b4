package io.frontdesk.upstream;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.vertx.core.json.JsonObject;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round robin, nginx's algorithm: each pick adds every candidate's weight to its
 * running score, takes the highest and subtracts the total from it. Heavy targets get their share
 * spread out (5:1:1 gives a a b a c a a, not a a a a a b c). Built in, so an upstream always has a
 * balancer, and the default.
 */
public final class WeightedRoundRobin implements LoadBalancer {

  /** The factory the platform registers under {@code weighted-round-robin}. */
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String algorithm() {
      return "weighted-round-robin";
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object").put("additionalProperties", false);
    }

    @Override
    public LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
      return new WeightedRoundRobin();
    }
  }

  private final Map<UpstreamTarget, int[]> current = new IdentityHashMap<>();

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, Exchange exchange) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    UpstreamTarget best = null;
    int[] bestScore = null;
    int total = 0;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      UpstreamTarget t = candidates.get(i);
      int w = Math.max(1, t.effectiveWeight());
      int[] score = current.computeIfAbsent(t, k -> new int[1]);
      score[0] += w;
      total += w;
      if (bestScore == null || score[0] > bestScore[0]) {
        best = t;
        bestScore = score;
      }
    }
    bestScore[0] -= total;
    return best;
  }
}
