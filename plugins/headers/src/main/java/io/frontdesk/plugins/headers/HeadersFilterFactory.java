package io.frontdesk.plugins.headers;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * The {@code headers} plugin: add, set, remove and rename request and response headers. Meant as
 * the template for your own plugins: a factory (this class) declares the priority and the
 * configuration schema and makes a {@link HeadersFilter} per binding.
 *
 * <p>Configuration: {@code {"request": OPS, "response": OPS}} where OPS is {@code {"remove":
 * [names], "rename": {from: to}, "set": {name: value}, "add": {name: value}}}, applied in that
 * order. Values may contain {@code {requestId}}, {@code {clientIp}}, {@code {host}}, {@code
 * {scheme}}, {@code {site}}, {@code {route}}, {@code {upstream}} and (responses) {@code {target}}.
 */
@Extension
public class HeadersFilterFactory implements FilterFactory {

  private static final String TOKEN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

  @Override
  public int defaultPriority() {
    return 600;
  }

  @Override
  public JsonObject configSchema() {
    JsonObject name = new JsonObject().put("type", "string").put("pattern", TOKEN);
    JsonObject value = new JsonObject().put("type", "string").put("pattern", "^[^\\r\\n]*$").put("maxLength", 8192);
    JsonObject map = new JsonObject().put("type", "object").put("propertyNames", name).put("additionalProperties", value);
    JsonObject ops = new JsonObject().put("type", "object").put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("remove", new JsonObject().put("type", "array").put("items", name))
            .put("rename", new JsonObject().put("type", "object").put("propertyNames", name)
                .put("additionalProperties", name))
            .put("set", map)
            .put("add", map));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Headers")
        .put("type", "object")
        .put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("request", ops.copy().put("description", "Changes to the request sent upstream."))
            .put("response", ops.copy().put("description", "Changes to the response sent to the client.")))
        .put("examples", new JsonArray().add(new JsonObject()
            .put("request", new JsonObject().put("set", new JsonObject().put("X-Client", "{clientIp}")))
            .put("response", new JsonObject().put("remove", new JsonArray().add("Server")))));
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    return new HeadersFilter(HeaderOps.parse(config.getJsonObject("request")),
        HeaderOps.parse(config.getJsonObject("response")));
  }
}
