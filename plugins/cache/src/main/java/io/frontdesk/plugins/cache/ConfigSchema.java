package io.frontdesk.plugins.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON Schema of a binding's configuration: every field optional, with its default. */
final class ConfigSchema {

  private ConfigSchema() {
  }

  static JsonObject schema() {
    JsonObject props = new JsonObject()
        .put("cacheName", str("This cache's name in the Cache-Status response field.", "Frontdesk")
            .put("pattern", "^[A-Za-z][A-Za-z0-9._-]{0,62}$"))
        .put("memory", obj("The memory tier (W-TinyLFU eviction, bounded in bytes).", new JsonObject()
            .put("maxBytes", integer("Bytes the memory tier may hold: bodies, fields and bookkeeping.", 64L << 20,
                1L << 20, 1L << 40))
            .put("maxObjectBytes", integer("The largest body kept in memory (default: maxObjectBytes, or 1 MiB "
                + "with a disk tier); larger ones live on disk only.", 8L << 20, 0, 1L << 40))))
        .put("disk", obj("The disk tier in the plugin's data directory: survives restarts, holds large bodies; "
            + "read back with back-pressure, every 64 KiB block checked.", new JsonObject()
                .put("enabled", new JsonObject().put("type", "boolean").put("default", false))
                .put("maxBytes", integer("Bytes of files the disk tier may hold.", 1L << 30, 1L << 20, 1L << 50))))
        .put("maxObjectBytes", integer("The largest body stored in any tier; a larger response streams through "
            + "uncached.", 8L << 20, 0, 1L << 40))
        .put("heuristic", obj("Freshness of responses without explicit freshness (only for statuses RFC 9110 "
            + "allows, or marked public): a fraction of the time since Last-Modified, at most maxSeconds.",
            new JsonObject()
                .put("fraction", new JsonObject().put("type", "number").put("minimum", 0).put("maximum", 1)
                    .put("default", 0.1).put("description", "Fraction of (Date - Last-Modified); 0 turns it off."))
                .put("maxSeconds", integer("The longest heuristic lifetime.", 86400, 0, 1L << 31))))
        .put("staleIfErrorSeconds", integer("How long past its freshness a stored response may answer when the "
            + "upstream fails (500, 502, 503, 504 or unreachable) and neither response nor request carries "
            + "stale-if-error; never for must-revalidate, proxy-revalidate, s-maxage or no-cache responses. "
            + "0 turns it off.", 60, 0, 1L << 31))
        .put("maxVariants", integer("The most variants (responses that differ by Vary) kept per URL.", 16, 1, 1024))
        .put("collapse", obj("Request collapsing: concurrent misses of one URL wait on one fetch and are answered "
            + "as it streams into the store.", new JsonObject()
                .put("enabled", new JsonObject().put("type", "boolean").put("default", true))
                .put("timeoutMs", integer("How long a waiting request waits before it goes to the origin itself; "
                    + "keep it below the node's --filter-timeout.", 5000, 1, 60000))));
    JsonObject names = new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string")
        .put("minLength", 1).put("maxLength", 256));
    props.put("key", obj("The cache key: the client's URL, and optionally request fields and cookies (each "
        + "stored response is kept apart by their values, like Vary).", new JsonObject()
            .put("scheme", new JsonObject().put("type", "boolean").put("default", true))
            .put("host", new JsonObject().put("type", "boolean").put("default", true))
            .put("query", new JsonObject().put("enum", new JsonArray().add("whole").add("sorted").add("none"))
                .put("default", "whole").put("description", "The query as sent, its parameters sorted, or none."))
            .put("queryInclude", names.copy().put("description", "Only these query parameters count (sorted)."))
            .put("queryExclude", names.copy().put("description", "These query parameters do not count (sorted)."))
            .put("headers", names.copy().put("description", "Request fields whose values are part of the key."))
            .put("cookies", names.copy().put("description", "Cookies whose values are part of the key."))));
    props.put("bypass", obj("Requests kept out of the cache (neither served from it nor stored).", new JsonObject()
        .put("methods", names.copy().put("description", "e.g. HEAD"))
        .put("paths", names.copy().put("description", "Path prefixes, e.g. /admin"))
        .put("headers", names.copy().put("description", "Request fields whose presence bypasses, e.g. X-No-Cache"))
        .put("cookies", names.copy().put("description", "Cookies whose presence bypasses; name* for a prefix"))));
    props.put("surrogateKeyField", str("The response field whose space-separated tags a purge by surrogate key "
        + "names; empty for none.", "Surrogate-Key").put("pattern", "^[A-Za-z0-9!#$%&'*+.^_`|~-]*$"));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "HTTP cache")
        .put("description", "A shared HTTP cache after RFC 9111.")
        .put("type", "object")
        .put("additionalProperties", false)
        .put("properties", props)
        .put("examples", new JsonArray().add(new JsonObject())
            .add(new JsonObject().put("memory", new JsonObject().put("maxBytes", 268435456))
                .put("staleIfErrorSeconds", 300)));
  }

  static JsonObject str(String description, String def) {
    return new JsonObject().put("type", "string").put("description", description).put("default", def);
  }

  static JsonObject integer(String description, long def, long min, long max) {
    return new JsonObject().put("type", "integer").put("description", description).put("default", def)
        .put("minimum", min).put("maximum", max);
  }

  static JsonObject obj(String description, JsonObject properties) {
    return new JsonObject().put("type", "object").put("description", description).put("additionalProperties", false)
        .put("properties", properties);
  }
}
