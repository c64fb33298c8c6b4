package io.frontdesk.plugins.cache;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * The {@code cache} plugin: a shared HTTP cache after RFC 9111, bound globally, to a site or to a
 * route. Each binding has its own store (a {@link Zone}) that outlives configuration changes.
 */
@Extension
public class CacheFilterFactory implements FilterFactory {

  private final Zones zones = new Zones();

  @Override
  public int defaultPriority() {
    return 500;
  }

  @Override
  public JsonObject configSchema() {
    return ConfigSchema.schema();
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    CacheConfig c = CacheConfig.parse(config);
    String binding = context.bindingId();
    Zone zone = zones.acquire(binding, c, context::dataDirectory);
    return new CacheFilter(c, zone, System::currentTimeMillis, () -> zones.release(binding, zone));
  }
}
