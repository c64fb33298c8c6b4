package io.frontdesk.api.log;

import io.frontdesk.api.PluginContext;
import io.vertx.core.json.JsonObject;
import org.pf4j.ExtensionPoint;

/**
 * Extension point: makes a {@link LogSink} for a binding. A binding's scope selects the records
 * (global: all; site or route: only that site's or route's).
 */
public interface LogSinkFactory extends ExtensionPoint {

  /** @return a JSON Schema for the binding configuration; defaults to any object */
  default JsonObject configSchema() {
    return new JsonObject().put("type", "object");
  }

  /**
   * Called on the sink's own Vert.x context, the one that later calls {@link LogSink#accept}: timers
   * and clients created here call back on that same thread, so a sink needs no locks. Keep it
   * short (opening a file is fine; waiting on a network peer is not).
   *
   * @param config the binding's configuration, valid against {@link #configSchema()}
   * @throws IllegalArgumentException when the configuration is unusable (answered as a 400)
   */
  LogSink create(JsonObject config, PluginContext context);
}
