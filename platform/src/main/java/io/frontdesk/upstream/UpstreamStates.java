package io.frontdesk.upstream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every upstream's live state on this node, by upstream id. */
public final class UpstreamStates {

  private final ConcurrentHashMap<String, UpstreamState> states = new ConcurrentHashMap<>();

  public UpstreamState get(String upstreamId, String name) {
    UpstreamState s = states.computeIfAbsent(upstreamId, id -> new UpstreamState(id, name));
    if (!name.equals(s.name())) {
      s.name(name);
    }
    return s;
  }

  public UpstreamState find(String upstreamId) {
    return states.get(upstreamId);
  }

  /** Forgets upstreams no configuration mentions any more. */
  public void retainOnly(Set<String> upstreamIds) {
    states.keySet().retainAll(upstreamIds);
  }
}
