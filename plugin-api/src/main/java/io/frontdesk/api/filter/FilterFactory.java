package io.frontdesk.api.filter;

import io.frontdesk.api.PluginContext;
import io.vertx.core.json.JsonObject;
import org.pf4j.ExtensionPoint;

/**
 * Extension point: makes the {@link Filter} of a plugin from a binding's configuration.
 *
 * <p>A plugin offers at most one filter factory, annotated {@code @org.pf4j.Extension}. Operators
 * bind the plugin globally, to a site or to a route; each binding's configuration is validated
 * against {@link #configSchema()} before {@link #create} sees it.
 */
public interface FilterFactory extends ExtensionPoint {

  /**
   * @return the filter's place in the chain when a binding does not override it: lower runs earlier
   *     in the request phase and later in the response phase. Bundled plugins use 100
   *     access-control, 200 auth, 300 rate-limit, 400 waf, 500 cache, 600 headers, 900 compression.
   */
  int defaultPriority();

  /** @return a JSON Schema (draft 2020-12) for the binding configuration; defaults to any object */
  default JsonObject configSchema() {
    return new JsonObject().put("type", "object");
  }

  /**
   * Makes a filter for one binding. Called off the event loop when a configuration is compiled, and
   * also to dry-run a configuration before it is saved, so keep it free of side effects beyond
   * allocating the filter; open connections lazily or in the filter.
   *
   * @param config the binding's configuration, already valid against {@link #configSchema()}
   * @throws IllegalArgumentException with a message naming the field when the configuration is
   *     valid by schema but still unusable (the admin API answers it as a 400)
   */
  Filter create(JsonObject config, PluginContext context);
}
