package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which requests a route takes. At most one of the three path forms; none means every path.
 *
 * @param pathPrefix matches this path and everything below it ({@code /api} matches {@code /api}
 *     and {@code /api/x}, not {@code /apix})
 * @param path matches exactly this path
 * @param pathRegex matches paths this Java regular expression matches in full
 * @param methods allowed methods (upper-case); empty = any
 * @param headers required request headers: name → exact value, or {@code *} for "present"
 */
public record RouteMatch(
    String pathPrefix, String path, String pathRegex, List<String> methods, Map<String, String> headers) {

  public RouteMatch {
    methods = List.copyOf(methods);
    headers = Map.copyOf(headers);
  }

  public static RouteMatch fromJson(JsonObject json) {
    if (json == null) {
      json = new JsonObject();
    }
    List<String> methods = json.getJsonArray("methods", new JsonArray()).stream()
        .map(m -> ((String) m).toUpperCase(Locale.ROOT)).distinct().toList();
    Map<String, String> headers = new LinkedHashMap<>();
    json.getJsonObject("headers", new JsonObject())
        .forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), String.valueOf(e.getValue())));
    String prefix = json.getString("pathPrefix");
    String path = json.getString("path");
    String regex = json.getString("pathRegex");
    if (prefix == null && path == null && regex == null) {
      prefix = "/";
    }
    return new RouteMatch(prefix, path, regex, methods, headers);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (pathPrefix != null) {
      json.put("pathPrefix", pathPrefix);
    }
    if (path != null) {
      json.put("path", path);
    }
    if (pathRegex != null) {
      json.put("pathRegex", pathRegex);
    }
    json.put("methods", new JsonArray(methods));
    JsonObject h = new JsonObject();
    headers.forEach(h::put);
    return json.put("headers", h);
  }
}
