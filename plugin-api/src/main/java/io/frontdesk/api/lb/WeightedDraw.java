package io.frontdesk.api.lb;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Random draws in proportion to targets' effective weights, and power of two choices built on them. */
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

  /**
   * Power of two choices: draws two different candidates by weight and keeps the less loaded.
   *
   * @param candidates the healthy candidates (never empty); one is returned as it is
   * @param lessLoadedFirst orders the less loaded target first
   * @return the second drawn when it orders strictly before the first, else the first
   */
  public static UpstreamTarget betterOfTwo(List<UpstreamTarget> candidates, SplittableRandom random,
      Comparator<? super UpstreamTarget> lessLoadedFirst) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    int a = draw(candidates, random, -1);
    UpstreamTarget first = candidates.get(a);
    UpstreamTarget second = candidates.get(draw(candidates, random, a));
    return lessLoadedFirst.compare(second, first) < 0 ? second : first;
  }
}
