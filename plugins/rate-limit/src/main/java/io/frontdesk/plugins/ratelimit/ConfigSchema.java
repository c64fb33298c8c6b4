package io.frontdesk.plugins.ratelimit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON Schema of a rate-limit binding; rates and keys are checked further by {@link RateLimitConfig}. */
final class ConfigSchema {

  private ConfigSchema() {
  }

  static JsonObject schema() {
    JsonObject keyPart = str(1, 140);
    JsonObject key = new JsonObject().put("description",
            "What the limit counts by: client-ip, consumer, route, site, header:<name>, cookie:<name>, or a list of them")
        .put("anyOf", new JsonArray().add(keyPart)
            .add(new JsonObject().put("type", "array").put("minItems", 1).put("maxItems", 6).put("items", keyPart)));
    JsonObject name = str(1, 64).put("pattern", "^[\\x20-\\x7e]+$")
        .put("description", "The policy's name in RateLimit headers and logs; default: key and rate, e.g. \"client-ip 5/s\"");
    JsonObject prefixes = new JsonObject()
        .put("ipv4Prefix", integer(1, 32, 32, "client-ip: count IPv4 clients by this network prefix"))
        .put("ipv6Prefix", integer(1, 128, 64, "client-ip: count IPv6 clients by this network prefix"));
    JsonObject limit = new JsonObject().put("type", "object").put("additionalProperties", false)
        .put("required", new JsonArray().add("key").add("rate"))
        .put("properties", new JsonObject()
            .put("key", key)
            .put("rate", str(3, 20).put("description", "N/s, N/m, N/h or N/d, e.g. 100/m"))
            .put("algorithm", new JsonObject().put("enum", new JsonArray().add("gcra").add("sliding-window"))
                .put("default", "gcra"))
            .put("burst", new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", 1_000_000_000)
                .put("description", "GCRA: requests allowed at once above the even spacing; default: count - 1"))
            .put("delay", new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", 1_000_000_000)
                .put("description", "GCRA: requests of a burst passed at once; the rest of the burst waits its turn"))
            .put("name", name));
    prefixes.forEach(e -> limit.getJsonObject("properties").put(e.getKey(), e.getValue()));
    JsonObject concurrency = new JsonObject().put("type", "object").put("additionalProperties", false)
        .put("required", new JsonArray().add("key").add("max"))
        .put("properties", new JsonObject()
            .put("key", key)
            .put("max", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 1_000_000)
                .put("description", "requests in flight allowed per key on this node"))
            .put("status", new JsonObject().put("enum", new JsonArray().add(429).add(503)).put("default", 429))
            .put("name", name.copy().put("description", "The policy's name; default: key and max, e.g. \"client-ip 10 in flight\"")));
    prefixes.forEach(e -> concurrency.getJsonObject("properties").put(e.getKey(), e.getValue()));
    JsonObject props = new JsonObject()
        .put("limits", new JsonObject().put("type", "array").put("maxItems", 16).put("items", limit))
        .put("concurrency", new JsonObject().put("type", "array").put("maxItems", 8).put("items", concurrency))
        .put("mode", new JsonObject().put("enum", new JsonArray().add("local").add("redis")).put("default", "local")
            .put("description", "local: counts in this node's memory; redis: one budget shared by every node"))
        .put("redis", new JsonObject().put("type", "object").put("additionalProperties", false)
            .put("properties", new JsonObject()
                .put("url", str(8, 500).put("description", "redis://[:password@]host:port[/db] (rediss:// for TLS)"))
                .put("timeoutMs", integer(1, 10_000, 100, "how long a decision waits for Redis"))
                .put("failure", new JsonObject().put("enum", new JsonArray().add("open").add("closed"))
                    .put("default", "open")
                    .put("description", "without Redis: open lets requests pass, closed answers 503"))
                .put("prefix", str(0, 100).put("default", "frontdesk:rl:"))))
        .put("dryRun", new JsonObject().put("type", "boolean").put("default", false)
            .put("description", "count and log what would be refused; refuse and delay nothing"))
        .put("status", integer(400, 599, 429, "the status of a request over a rate limit"))
        .put("headers", new JsonObject().put("enum", new JsonArray().add("all").add("refused").add("none"))
            .put("default", "all").put("description", "which responses carry RateLimit-Policy and RateLimit"))
        .put("maxKeys", integer(100, 100_000_000, 100_000, "local mode: the most keys each limit remembers"));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Rate limit")
        .put("type", "object")
        .put("additionalProperties", false)
        .put("properties", props);
  }

  private static JsonObject str(int min, int max) {
    return new JsonObject().put("type", "string").put("minLength", min).put("maxLength", max);
  }

  private static JsonObject integer(int min, int max, int def, String description) {
    return new JsonObject().put("type", "integer").put("minimum", min).put("maximum", max).put("default", def)
        .put("description", description);
  }
}
