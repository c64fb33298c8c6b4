package io.frontdesk.plugins.cache;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The plugin's zones by binding id: a binding keeps its zone (and what it stored) across the new
 * filters a configuration change makes; the zone goes when no filter of its binding is left (its
 * disk files stay for the next start). A trial filter (no binding yet) gets a zone of its own that
 * nobody else sees and that has no disk tier.
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

  /**
   * @param dataDirectory the plugin's data directory (asked only when a disk tier is configured)
   * @return the zone of {@code bindingId}, made or reconfigured to {@code config}
   */
  synchronized Zone acquire(String bindingId, CacheConfig config, Supplier<Path> dataDirectory) {
    if (bindingId == null) {
      return new Zone(config, null, "trial");
    }
    Ref r = byBinding.get(bindingId);
    if (r == null) {
      String name = safe(bindingId);
      r = new Ref(new Zone(config, () -> dataDirectory.get().resolve(name), name));
      byBinding.put(bindingId, r);
    } else {
      r.zone.configure(config);
    }
    r.count++;
    return r.zone;
  }

  synchronized void release(String bindingId, Zone zone) {
    if (bindingId == null) {
      zone.close();
      return;
    }
    Ref r = byBinding.get(bindingId);
    if (r != null && r.zone == zone && --r.count == 0) {
      byBinding.remove(bindingId);
      zone.close();
    }
  }

  /** @return the live zones by binding id */
  synchronized Map<String, Zone> all() {
    Map<String, Zone> m = new HashMap<>();
    byBinding.forEach((k, v) -> m.put(k, v.zone));
    return m;
  }

  private static String safe(String bindingId) {
    return bindingId.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
