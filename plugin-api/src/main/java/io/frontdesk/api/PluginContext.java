package io.frontdesk.api;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/** What the host offers a plugin's factories when they create filters, balancers or log sinks. */
public interface PluginContext {

  /** @return the plugin's id */
  String pluginId();

  /** @return the Vert.x instance, for timers, clients and {@code executeBlocking} */
  Vertx vertx();

  /** @return a directory the plugin may keep files in (created on first use, kept across restarts) */
  Path dataDirectory();

  /** @return this proxy node's id, unique among the nodes sharing one database */
  String nodeId();

  /**
   * @return the id of the binding whose filter is being created, stable for the binding's life (a
   *     plugin keeps per-binding state such as a cache under it); {@code null} when the factory is
   *     called for a trial of a configuration not yet saved, or outside a filter's creation
   */
  default String bindingId() {
    return null;
  }

  /**
   * @return messages between this plugin's instances on every node
   * @throws UnsupportedOperationException in a host without a database
   */
  default PluginMessages messages() {
    throw new UnsupportedOperationException("this host offers no plugin messages");
  }
}
