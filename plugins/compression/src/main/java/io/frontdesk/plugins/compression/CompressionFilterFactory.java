package io.frontdesk.plugins.compression;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * The {@code compression} plugin: gzip, brotli and zstd for responses, negotiated from
 * {@code Accept-Encoding} and streamed; optional request-body decompression with a size limit.
 * Priority 900: nearest the upstream, so in the response phase it runs first and later filters
 * (headers, cache) see the compressed response.
 */
@Extension
public class CompressionFilterFactory implements FilterFactory {

  @Override
  public int defaultPriority() {
    return 900;
  }

  @Override
  public JsonObject configSchema() {
    JsonObject mediaPattern = new JsonObject().put("type", "string")
        .put("pattern", "^[A-Za-z0-9*!#$&^_.+-]+/[A-Za-z0-9*!#$&^_.+-]+$");
    JsonObject levels = new JsonObject();
    for (Coding c : Coding.values()) {
      levels.put(c.token, new JsonObject().put("type", "integer").put("minimum", c.minLevel)
          .put("maximum", c.maxLevel).put("default", c.defaultLevel));
    }
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Compression")
        .put("type", "object").put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("algorithms", new JsonObject().put("type", "array").put("minItems", 1).put("uniqueItems", true)
                .put("items", new JsonObject().put("enum", new JsonArray().add("br").add("zstd").add("gzip")))
                .put("default", new JsonArray(new java.util.ArrayList<>(CompressionConfig.DEFAULT_ALGORITHMS)))
                .put("description", "Allowed codings, most preferred first (used when the client likes several equally)."))
            .put("levels", new JsonObject().put("type", "object").put("additionalProperties", false)
                .put("properties", levels).put("description", "Compression level per coding."))
            .put("contentTypes", new JsonObject().put("type", "array").put("items", mediaPattern)
                .put("default", new JsonArray(new java.util.ArrayList<>(CompressionConfig.DEFAULT_TYPES)))
                .put("description", "Media types to compress; * matches any characters (text/*, application/*+json)."))
            .put("minLength", new JsonObject().put("type", "integer").put("minimum", 0).put("default", 256)
                .put("description", "Smaller bodies (by Content-Length) are sent as they are."))
            .put("flushContentTypes", new JsonObject().put("type", "array").put("items", mediaPattern)
                .put("default", new JsonArray(new java.util.ArrayList<>(CompressionConfig.DEFAULT_FLUSH_TYPES)))
                .put("description", "Media types flushed on every upstream chunk, so streams stay incremental."))
            .put("decompressRequests", new JsonObject().put("type", "boolean").put("default", false)
                .put("description", "Decompress request bodies sent with Content-Encoding gzip, br or zstd."))
            .put("maxDecompressedBytes", new JsonObject().put("type", "integer").put("minimum", 1)
                .put("default", 10 * 1024 * 1024)
                .put("description", "Larger decompressed request bodies are refused with 413.")))
        .put("examples", new JsonArray().add(new JsonObject()
            .put("algorithms", new JsonArray().add("zstd").add("gzip"))
            .put("levels", new JsonObject().put("gzip", 5))));
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    return new CompressionFilter(CompressionConfig.parse(config));
  }
}
