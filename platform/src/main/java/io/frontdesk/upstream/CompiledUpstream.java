package io.frontdesk.upstream;

import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.Upstream;
import java.util.ArrayList;
import java.util.List;

/** An upstream ready for the proxy: its targets and one balancer per event loop. */
public final class CompiledUpstream {

  private final Upstream config;
  private final List<CompiledTarget> targets;
  private final List<UpstreamTarget> all;
  private final LoadBalancer[] balancers;

  public CompiledUpstream(Upstream config, List<CompiledTarget> targets, LoadBalancer[] balancers) {
    this.config = config;
    this.targets = List.copyOf(targets);
    this.all = List.copyOf(targets);
    this.balancers = balancers;
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
   * @param exclude targets already tried by this exchange (may be {@code null})
   * @return targets that may take a request now
   */
  public List<UpstreamTarget> candidates(List<CompiledTarget> exclude) {
    if (exclude == null && allAvailable()) {
      return all; // the common case allocates nothing
    }
    List<UpstreamTarget> out = new ArrayList<>(targets.size());
    for (CompiledTarget t : targets) {
      if (t.hasCapacity() && (exclude == null || !exclude.contains(t))) {
        out.add(t);
      }
    }
    return out;
  }

  private boolean allAvailable() {
    for (int i = 0, n = targets.size(); i < n; i++) {
      if (!targets.get(i).hasCapacity()) {
        return false;
      }
    }
    return true;
  }
}
