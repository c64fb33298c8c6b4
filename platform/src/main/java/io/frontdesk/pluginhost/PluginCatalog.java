package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.log.LogSinkFactory;

/** What the snapshot compiler needs from the installed plugins. */
public interface PluginCatalog {

  /** @return the filter factory of a started plugin, or {@code null} */
  FilterFactory filterFactory(String pluginId);

  /** @return the log sink factory of a started plugin, or {@code null} */
  LogSinkFactory logSinkFactory(String pluginId);

  /** @return the balancer factory for an algorithm name, or {@code null} */
  LoadBalancerFactory balancer(String algorithm);

  /** @return the id of the plugin offering {@code algorithm}, or {@code null} when built in or unknown */
  String balancerPlugin(String algorithm);

  /** @return the names of the installed balancing algorithms, sorted */
  java.util.List<String> algorithms();

  /** @return why a plugin is not usable (not installed, failed…), for error messages */
  String unavailableReason(String pluginId);

  /** @return the counters of a plugin (created on first use) */
  FilterStats stats(String pluginId);

  /** @return the context handed to a plugin's factories */
  PluginContext context(String pluginId);

  /** @return the context handed to a plugin's filter factory when it creates the filter of a binding */
  default PluginContext context(String pluginId, String bindingId) {
    return context(pluginId);
  }

  /** @return the stall guard of a filter binding on this node (see {@link FilterWatchdog}) */
  default FilterGuard guard(String pluginId, String bindingId, Object filter) {
    return FilterGuard.NONE;
  }

  /** @return the stall guard of a binding that has run here, or {@code null} */
  default FilterGuard existingGuard(String bindingId) {
    return null;
  }

  /** @return a number that changes whenever plugins are loaded, upgraded or unloaded */
  long generation();
}
