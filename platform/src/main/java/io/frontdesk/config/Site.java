package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * A site: the host names it answers for, and (through routes) what serves them.
 *
 * @param id server-made id
 * @param name unique name
 * @param hosts exact names ({@code shop.example.com}), wildcards ({@code *.example.com}: any
 *     sub-domain) or {@code *} (every host no other site claims); lower-case, no port
 * @param enabled a disabled site answers nothing (its hosts get 404)
 */
public record Site(String id, String name, List<String> hosts, boolean enabled) {

  public Site {
    hosts = List.copyOf(hosts);
  }

  /** Reads the API/stored form (already valid by schema), filling defaults. */
  public static Site fromJson(String id, String name, JsonObject json) {
    List<String> hosts = json.getJsonArray("hosts", new JsonArray()).stream()
        .map(h -> ((String) h).trim().toLowerCase(Locale.ROOT))
        .toList();
    return new Site(id, name, hosts, json.getBoolean("enabled", true));
  }

  /** @return the fields stored in the {@code spec} column */
  public JsonObject spec() {
    return new JsonObject().put("hosts", new JsonArray(hosts)).put("enabled", enabled);
  }

  /** @return the API form */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).mergeIn(spec());
  }
}
