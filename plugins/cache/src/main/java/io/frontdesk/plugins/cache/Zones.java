package io.frontdesk.plugins.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin's zones by binding id: a binding keeps its zone (and what it stored) across the new
 * filters a configuration change makes; the zone goes when no filter of its binding is left. A
 * trial filter (no binding yet) gets a zone of its own that nobody else sees.
 */
final class Zones {

  private static final class Ref {
    final Zone zone;
    int count;

    Ref(Zone zone) {
      this.zone = zone;
    }
  }

  private final Map<String, Ref> byBinding = new HashMap<>();

  /** @return the zone of {@code bindingId} (made or resized to {@code config}) */
  synchronized Zone acquire(String bindingId, CacheConfig config) {
    if (bindingId == null) {
      return new Zone(config.memoryBytes());
    }
    Ref r = byBinding.computeIfAbsent(bindingId, k -> new Ref(new Zone(config.memoryBytes())));
    r.zone.resize(config.memoryBytes());
    r.count++;
    return r.zone;
  }

  synchronized void release(String bindingId, Zone zone) {
    if (bindingId == null) {
      zone.clear();
      return;
    }
    Ref r = byBinding.get(bindingId);
    if (r != null && r.zone == zone && --r.count == 0) {
      byBinding.remove(bindingId);
      zone.clear();
    }
  }

  /** @return the live zones by binding id */
  synchronized Map<String, Zone> all() {
    Map<String, Zone> m = new HashMap<>();
    byBinding.forEach((k, v) -> m.put(k, v.zone));
    return m;
  }

  synchronized List<String> bindings() {
    return List.copyOf(byBinding.keySet());
  }
}
