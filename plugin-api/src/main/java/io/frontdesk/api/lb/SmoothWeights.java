package io.frontdesk.api.lb;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's smooth weighted round robin over a changing list of targets: each pick adds every
 * target's effective weight to its running score, takes the highest and subtracts the total from
 * it, so a heavy target's share is spread out (5:1:1 gives {@code a a b a c a a}). Use one per
 * {@link LoadBalancer} instance (it is not thread-safe, as balancers need not be); also a fair
 * tie-breaker for load-aware algorithms.
 */
public final class SmoothWeights {

  private final Map<UpstreamTarget, int[]> current = new IdentityHashMap<>();

  /** @return one of {@code targets} (never empty) */
  public UpstreamTarget pick(List<UpstreamTarget> targets) {
    return pick(targets, targets.size());
  }

  /** @return one of the first {@code n} (≥ 1) of {@code targets} */
  public UpstreamTarget pick(List<UpstreamTarget> targets, int n) {
    if (n == 1) {
      return targets.get(0);
    }
    UpstreamTarget best = null;
    int[] bestScore = null;
    int total = 0;
    for (int i = 0; i < n; i++) {
      UpstreamTarget t = targets.get(i);
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
