package io.frontdesk.plugins.loghttp;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.pf4j.Extension;

/**
 * The {@code log-http} plugin: batches of records POSTed to a collector, as JSON lines (Vector,
 * Fluent Bit, Loki's push gateway for JSON, any NDJSON endpoint), an Elasticsearch/OpenSearch
 * {@code _bulk} body, or a JSON array. Failed batches are retried with exponential back-off;
 * the buffer is bounded (the oldest records go first when it is full).
 *
 * <p>Configuration: {@code {"url": "http://collector:8080/ingest", "format": "ndjson", "index":
 * "frontdesk", "batchSize": 500, "flushIntervalMs": 1000, "maxBufferRecords": 10000, "headers":
 * {"Authorization": "Bearer …"}}}.
 */
@Extension
public class HttpLogSinkFactory implements LogSinkFactory {

  @Override
  public JsonObject configSchema() {
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "HTTP bulk")
        .put("type", "object").put("additionalProperties", false)
        .put("required", new JsonArray().add("url"))
        .put("properties", new JsonObject()
            .put("url", new JsonObject().put("type", "string").put("pattern", "^https?://").put("maxLength", 2048))
            .put("format", new JsonObject().put("enum", new JsonArray().add("ndjson").add("elasticsearch").add("json"))
                .put("default", "ndjson"))
            .put("index", new JsonObject().put("type", "string").put("pattern", "^[a-z0-9._-]{1,255}$")
                .put("default", "frontdesk").put("description", "Index for the elasticsearch format."))
            .put("batchSize", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100_000)
                .put("default", 500))
            .put("flushIntervalMs", new JsonObject().put("type", "integer").put("minimum", 10).put("maximum", 600_000)
                .put("default", 1000))
            .put("maxBufferRecords", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 10_000_000)
                .put("default", 10_000))
            .put("timeoutMs", new JsonObject().put("type", "integer").put("minimum", 100).put("maximum", 600_000)
                .put("default", 10_000))
            .put("headers", new JsonObject().put("type", "object")
                .put("propertyNames", new JsonObject().put("pattern", "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"))
                .put("additionalProperties", new JsonObject().put("type", "string").put("pattern", "^[^\\r\\n]*$"))));
  }

  @Override
  public LogSink create(JsonObject config, PluginContext context) {
    URI url;
    try {
      url = URI.create(config.getString("url"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url: " + e.getMessage());
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url: has no host");
    }
    return new HttpLogSink(context.vertx(), url, config.getString("format", "ndjson"),
        config.getString("index", "frontdesk"), config.getInteger("batchSize", 500),
        config.getInteger("flushIntervalMs", 1000), config.getInteger("maxBufferRecords", 10_000),
        config.getInteger("timeoutMs", 10_000), config.getJsonObject("headers", new JsonObject()));
  }
}
