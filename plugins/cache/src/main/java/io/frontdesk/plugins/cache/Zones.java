package io.frontdesk.plugins.cache;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.PluginMessages;
import io.vertx.core.Handler;
import java.util.HashMap;
import java.util.Map;

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
  private final Handler<String> onMessage;
  private PluginMessages messages;
  private PluginMessages.Subscription subscription;

  /** @param onMessage gets the purges other nodes send, while any zone lives */
  Zones(Handler<String> onMessage) {
    this.onMessage = onMessage;
  }

  /**
   * @param context the binding's context: its data directory (asked only when a disk tier is
   *     configured) and the plugin's messages
   * @return the zone of {@code bindingId}, made or reconfigured to {@code config}
   */
  synchronized Zone acquire(String bindingId, CacheConfig config, PluginContext context) {
    if (bindingId == null) {
      return new Zone(config, null, "trial");
    }
    Ref r = byBinding.get(bindingId);
    if (r == null) {
      String name = safe(bindingId);
      r = new Ref(new Zone(config, () -> context.dataDirectory().resolve(name), name));
      byBinding.put(bindingId, r);
      if (subscription == null) {
        listen(context);
      }
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
      if (byBinding.isEmpty() && subscription != null) {
        subscription.cancel(); // no zone left: nothing to purge (and the plugin may be unloading)
        subscription = null;
      }
    }
  }

  private void listen(PluginContext context) {
    try {
      messages = context.messages();
      subscription = messages.subscribe(CacheAdmin.TOPIC, onMessage);
    } catch (UnsupportedOperationException e) {
      messages = null; // a host without messages: purges reach this node only
    }
  }

  /** @return the plugin's messages, or {@code null} while no zone lives or the host has none */
  synchronized PluginMessages messages() {
    return subscription == null ? null : messages;
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
