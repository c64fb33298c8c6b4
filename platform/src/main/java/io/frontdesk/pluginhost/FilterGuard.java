package io.frontdesk.pluginhost;

import io.vertx.core.json.JsonObject;

/**
 * The stall state of one binding on this node. The {@link FilterWatchdog} trips it when the
 * binding's filter holds an event loop too long; while tripped, new exchanges treat the binding
 * as unavailable (503, or skipped when fail-open) until an operator resets it, or until the
 * binding gets a new filter instance (disabled and enabled again, edited, or its plugin upgraded).
 */
public final class FilterGuard {

  /** For entries that never run plugin code (unavailable bindings) and for tests: never trips. */
  public static final FilterGuard NONE = new FilterGuard(null, "", "", null);

  private final FilterWatchdog watchdog;
  /**
   * The filter instance guarded: a new instance (binding re-enabled or edited, plugin upgraded)
   * starts untripped. Weak, so a guard never keeps an unloaded plugin's classes alive.
   */
  private final java.lang.ref.WeakReference<Object> instance;
  private final String pluginId;
  private final String bindingId;
  private volatile String trippedReason;
  private volatile long trippedAtMillis;

  FilterGuard(FilterWatchdog watchdog, String pluginId, String bindingId, Object instance) {
    this.watchdog = watchdog;
    this.instance = new java.lang.ref.WeakReference<>(instance);
    this.pluginId = pluginId;
    this.bindingId = bindingId;
  }

  /** Marks {@code f} as running on this thread; the caller must {@link FilterWatchdog.Slot#exit() exit} after. */
  FilterWatchdog.Slot enter(BoundFilter f) {
    return watchdog == null ? FilterWatchdog.Slot.IDLE : watchdog.enter(f);
  }

  boolean guards(Object filter) {
    return instance.get() == filter;
  }

  public boolean tripped() {
    return trippedReason != null;
  }

  /** @return why new exchanges skip this binding, or {@code null} */
  public String trippedReason() {
    return trippedReason;
  }

  void trip(String reason) {
    trippedAtMillis = System.currentTimeMillis();
    trippedReason = reason;
  }

  /** @return whether it was tripped */
  public boolean reset() {
    boolean was = trippedReason != null;
    trippedReason = null;
    return was;
  }

  public String pluginId() {
    return pluginId;
  }

  public String bindingId() {
    return bindingId;
  }

  /** @return {@code {"tripped": bool, "reason", "since"}} for the API */
  public JsonObject toJson() {
    String r = trippedReason;
    JsonObject j = new JsonObject().put("tripped", r != null);
    if (r != null) {
      j.put("reason", r).put("since", java.time.Instant.ofEpochMilli(trippedAtMillis).toString());
    }
    return j;
  }
}
