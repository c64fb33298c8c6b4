package io.frontdesk.api.lb;

import java.util.List;
import java.util.SplittableRandom;

/** Random draws in proportion to targets' effective weights (for power-of-two-choices and the like). */
public final class WeightedDraw {

  private WeightedDraw() {
  }

  /**
   * @param exclude an index not to draw (-1 for none); with it, {@code targets} needs two or more
   * @return an index of {@code targets}, drawn with probability proportional to effective weight
   */
  public static int draw(List<UpstreamTarget> targets, SplittableRandom random, int exclude) {
    long total = 0;
    for (int i = 0, n = targets.size(); i < n; i++) {
      if (i != exclude) {
        total += Math.max(1, targets.get(i).effectiveWeight());
      }
    }
    long r = random.nextLong(total);
    for (int i = 0, n = targets.size(); i < n; i++) {
      if (i == exclude) {
        continue;
      }
      r -= Math.max(1, targets.get(i).effectiveWeight());
      if (r < 0) {
        return i;
      }
    }
    return exclude == 0 ? 1 : 0;
  }
}
