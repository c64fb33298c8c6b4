package io.frontdesk.upstream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every target's live state on this node, by upstream id and address. */
public final class TargetStates {

  private final ConcurrentHashMap<String, TargetState> states = new ConcurrentHashMap<>();

  /** @return the state of the target, created on first use */
  public TargetState get(String upstreamId, String address) {
    return states.computeIfAbsent(upstreamId + "|" + address, TargetState::new);
  }

  /** Forgets targets no configuration mentions any more (called after a snapshot swap). */
  public void retainOnly(Set<String> liveKeys) {
    states.keySet().removeIf(k -> !liveKeys.contains(k));
  }
}
