package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.UpstreamTarget;
import java.util.List;
import java.util.SplittableRandom;

/** Weighted random draws. */
final class Weighted {

  private Weighted() {
  }

  /**
   * @param exclude an index not to draw (-1 for none)
   * @return an index drawn with probability proportional to effective weight
   */
  static int draw(List<UpstreamTarget> candidates, SplittableRandom random, int exclude) {
    long total = 0;
    for (int i = 0, n = candidates.size(); i < n; i++) {
      if (i != exclude) {
        total += Math.max(1, candidates.get(i).effectiveWeight());
      }
    }
    long r = random.nextLong(total);
    for (int i = 0, n = candidates.size(); i < n; i++) {
      if (i == exclude) {
        continue;
      }
      r -= Math.max(1, candidates.get(i).effectiveWeight());
      if (r < 0) {
        return i;
      }
    }
    return exclude == 0 ? 1 : 0;
  }
}
