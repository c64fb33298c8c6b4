package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.filter.FilterResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for an authentication plugin (priority 200): the consumer named in {@code
 * X-Test-Consumer} is "authenticated" and left on the exchange as an auth plugin does, under its
 * own attribute key objects (another plugin's class loader), named consumer.id / consumer.name.
 */
final class FakeAuth implements FilterFactory {

  private static final AttributeKey<String> ID = AttributeKey.of("consumer.id", String.class);
  private static final AttributeKey<String> NAME = AttributeKey.of("consumer.name", String.class);

  @Override
  public int defaultPriority() {
    return 200;
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    return new Filter() {
      @Override
      public Future<FilterResult> onRequest(Exchange ex) {
        String who = ex.request().headers().get("X-Test-Consumer");
        if (who != null) {
          ex.attributes().put(ID, "id-" + who);
          ex.attributes().put(NAME, who);
        }
        return FilterResult.proceed();
      }
    };
  }
}
