package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * The {@code rate-limit} plugin: request rates per key (GCRA or a sliding window), in this node's
 * memory or shared by every node through Redis, with the IETF RateLimit headers, delays within a
 * burst and a dry-run mode. See the README's "Rate limiting" section for the configuration.
 */
@Extension
public class RateLimitFilterFactory implements FilterFactory {

  @Override
  public int defaultPriority() {
    return 300;
  }

  @Override
  public JsonObject configSchema() {
    return ConfigSchema.schema();
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    RateLimitConfig c = RateLimitConfig.parse(config);
    BindingCounters counters = new BindingCounters();
    CounterSummary summary = new CounterSummary(context.vertx(), counters, c);
    if (c.mode() == RateLimitConfig.Mode.REDIS) {
      // connects lazily, on the first request of each event loop: a trial of the config opens nothing
      RedisStore store = new RedisStore(c.limits(), c.redis(), context.vertx());
      return new RateLimitFilter(c, store, counters,
          new StoreFailureLog("Redis at " + c.redis().displayUrl(), c.redis().failOpen()), summary);
    }
    long origin = System.nanoTime();
    // µs since the filter was made, from 1: positive whatever the origin of nanoTime (0 means "no state")
    LimitStore store = new LocalStore(c.limits(), c.maxKeys(), () -> (System.nanoTime() - origin) / 1000 + 1);
    return new RateLimitFilter(c, store, counters, new StoreFailureLog("the in-memory store", true), summary);
  }

}
