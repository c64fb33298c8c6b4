package io.frontdesk.pluginhost;

import org.pf4j.JarPluginManager;

/** One plugin version started in a PF4J manager of its own (and so a class loader of its own). */
record LoadedPlugin(String id, JarPluginManager manager, PluginInfo info, PluginRegistry.Extensions extensions) {

  /** Stops the plugin and lets go of its class loader. */
  void unload() {
    manager.unloadPlugin(id); // stops it first; unloadPlugins() would hit pf4j issue 656
  }
}
