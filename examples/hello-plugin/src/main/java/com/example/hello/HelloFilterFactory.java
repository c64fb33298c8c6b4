package com.example.hello;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.*;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

@Extension
public class HelloFilterFactory implements FilterFactory {
  @Override public int defaultPriority() { return 650; }

  @Override public JsonObject configSchema() {
    return new JsonObject().put("type", "object").put("additionalProperties", false)
        .put("properties", new JsonObject().put("greeting", new JsonObject().put("type", "string")));
  }

  @Override public Filter create(JsonObject config, PluginContext context) {
    String greeting = config.getString("greeting", "hello");
    return new Filter() {
      @Override public Future<FilterResult> onRequest(Exchange ex) {
        if (ex.request().path().equals("/hello")) {   // answer by itself: the upstream is not called
          return FilterResult.respond(LocalResponse.of(200, "greeted").body(Buffer.buffer(greeting + "\n")));
        }
        return FilterResult.proceed();
      }

      @Override public Future<FilterResult> onResponse(Exchange ex) {
        ex.response().headers().set("X-Greeting", greeting);
        return FilterResult.proceed();
      }
    };
  }
}
