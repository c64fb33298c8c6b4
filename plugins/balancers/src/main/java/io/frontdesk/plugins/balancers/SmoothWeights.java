package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.UpstreamTarget;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's smooth weighted round robin over a changing subset of targets: the tie-breaker of the
 * load-aware algorithms, so equally loaded targets still share by weight, without bursts.
 */
final class SmoothWeights {

  private final Map<UpstreamTarget, int[]> current = new IdentityHashMap<>();

  /** Picks from {@code tied[0..n)}. */
  UpstreamTarget pick(List<UpstreamTarget> tied, int n) {
    if (n == 1) {
      return tied.get(0);
    }
    UpstreamTarget best = null;
    int[] bestScore = null;
    int total = 0;
    for (int i = 0; i < n; i++) {
      UpstreamTarget t = tied.get(i);
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
