package io.frontdesk.plugins.cache;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.admin.AdminHandler;
import io.frontdesk.api.admin.AdminRequest;
import io.frontdesk.api.admin.AdminResponse;
import io.frontdesk.api.admin.MetricSample;
import io.frontdesk.api.admin.MetricsSource;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code cache} plugin: a shared HTTP cache after RFC 9111, bound globally, to a site or to a
 * route. Each binding has its own store (a {@link Zone}) that outlives configuration changes. It
 * answers {@code /api/v1/plugins/cache/purge} and {@code …/stats}, and counts in {@code /metrics}.
 */
@Extension
public class CacheFilterFactory implements FilterFactory, AdminHandler, MetricsSource {

  private final CacheAdmin admin;
  private final Zones zones;

  public CacheFilterFactory() {
    zones = new Zones(this::received);
    admin = new CacheAdmin(zones);
  }

  private void received(String purge) {
    admin.received(purge);
  }

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
    Zone zone = zones.acquire(binding, c, context);
    return new CacheFilter(c, zone, System::currentTimeMillis, () -> zones.release(binding, zone));
  }

  @Override
  public Future<AdminResponse> handle(AdminRequest request) {
    return admin.handle(request);
  }

  @Override
  public List<MetricSample> samples() {
    return admin.samples();
  }
}
