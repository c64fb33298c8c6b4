package io.frontdesk.upstream;

import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.Upstream;
import java.util.ArrayList;
import java.util.List;

/** An upstream ready for the proxy: its targets and one balancer per event loop. */
public final class CompiledUpstream {

  private final Upstream config;
  private final UpstreamState state;
  private final List<CompiledTarget> targets;
  private final List<UpstreamTarget> all;
  private final LoadBalancer[] balancers;

  public CompiledUpstream(Upstream config, UpstreamState state, List<CompiledTarget> targets, LoadBalancer[] balancers) {
    this.config = config;
    this.state = state;
    this.targets = List.copyOf(targets);
    this.all = List.copyOf(targets);
    this.balancers = balancers;
  }

  public UpstreamState state() {
    return state;
  }

  public Upstream config() {
    return config;
  }

  public List<CompiledTarget> targets() {
    return targets;
  }

  /** @return the balancer owned by event loop {@code loopIndex} */
  public LoadBalancer balancer(int loopIndex) {
    return balancers[loopIndex];
  }

  /**
   * The targets a balancer may pick from: healthy, not ejected, circuit not open, below their
   * limit, not tried yet by this exchange. When health rules out every target with capacity, all of
   * those are returned instead (failing open: better a struggling target than none), and counted.
   *
   * @param exclude targets already tried by this exchange (may be {@code null})
   * @return targets that may take a request now; empty only when none has capacity left
   */
  public List<UpstreamTarget> candidates(List<CompiledTarget> exclude) {
    long now = System.nanoTime();
    if (exclude == null && allAvailable(now)) {
      return all; // the common case allocates nothing
    }
    List<UpstreamTarget> out = new ArrayList<>(targets.size());
    for (CompiledTarget t : targets) {
      if (t.hasCapacity() && t.available(now) && (exclude == null || !exclude.contains(t))) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      for (CompiledTarget t : targets) {
        if (t.hasCapacity() && (exclude == null || !exclude.contains(t))) {
          out.add(t);
        }
      }
      if (!out.isEmpty() && exclude == null) {
        state.failOpen.increment();
      }
    }
    return out;
  }

  private boolean allAvailable(long now) {
    for (int i = 0, n = targets.size(); i < n; i++) {
      CompiledTarget t = targets.get(i);
      if (!t.hasCapacity() || !t.available(now)) {
        return false;
      }
    }
    return true;
  }
}
