package io.frontdesk.plugins.accesscontrol;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code access-control} plugin: allow or deny clients by address. The client address is the
 * one Frontdesk determined (the TCP peer, or the first untrusted hop of X-Forwarded-For behind
 * {@code --trusted-proxies}), so a client cannot forge its way in with a header.
 *
 * <p>Configuration: {@code {"allow": [cidr…], "deny": [cidr…], "default": "allow" | "deny",
 * "status": 403}}. A deny entry wins over an allow entry; an address matching neither gets the
 * default, which is "deny" when an allow list is given and "allow" otherwise.
 */
@Extension
public class AccessControlFilterFactory implements FilterFactory {

  @Override
  public int defaultPriority() {
    return 100;
  }

  @Override
  public JsonObject configSchema() {
    JsonObject list = new JsonObject().put("type", "array").put("maxItems", 10_000)
        .put("items", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 64));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Access control")
        .put("type", "object")
        .put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("allow", list.copy().put("description", "Addresses or CIDR ranges let in."))
            .put("deny", list.copy().put("description", "Addresses or CIDR ranges refused (wins over allow)."))
            .put("default", new JsonObject().put("enum", new JsonArray().add("allow").add("deny"))
                .put("description", "For addresses in neither list; default: deny if allow is given, else allow."))
            .put("status", new JsonObject().put("type", "integer").put("minimum", 400).put("maximum", 599)
                .put("default", 403).put("description", "Status answered to refused clients.")));
  }

  @Override
  public Filter create(JsonObject config, PluginContext context) {
    List<IpRange> allow = ranges(config.getJsonArray("allow"), "allow");
    List<IpRange> deny = ranges(config.getJsonArray("deny"), "deny");
    String def = config.getString("default", allow.isEmpty() ? "allow" : "deny");
    return new AccessControlFilter(allow, deny, def.equals("allow"), config.getInteger("status", 403));
  }

  private static List<IpRange> ranges(JsonArray a, String field) {
    List<IpRange> out = new ArrayList<>();
    if (a == null) {
      return out;
    }
    for (int i = 0; i < a.size(); i++) {
      try {
        out.add(IpRange.parse(a.getString(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
