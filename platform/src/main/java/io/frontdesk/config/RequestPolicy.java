package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What a route accepts beyond its match rules: how paths are compared, which unusual path forms
 * reach its upstream, how large a request body may be and which protocols a client may upgrade to.
 * The defaults are the safe ones; each field is an opt-out for a route that needs it.
 *
 * @param caseSensitive whether {@code path}, {@code pathPrefix} and {@code pathRegex} compare case
 *     (default {@code false}: {@code /ADMIN} meets the rules written for {@code /admin}, and is
 *     forwarded as sent)
 * @param allowEncodedSlashes let {@code %2F}, {@code %5C} and raw backslashes through (default
 *     {@code false}: 400, since backends disagree on whether they separate segments)
 * @param allowPathParameters let {@code ;} path parameters through (default {@code false}: 400, since
 *     {@code /admin;x} and {@code /x/..;/admin} mean {@code /admin} to some backends)
 * @param maxRequestBodyBytes largest request body; 0 = the node's {@code --max-request-body}
 * @param upgrades protocols a client may switch to with {@code Upgrade} (lower case); default
 *     {@code websocket}
 */
public record RequestPolicy(
    boolean caseSensitive,
    boolean allowEncodedSlashes,
    boolean allowPathParameters,
    long maxRequestBodyBytes,
    List<String> upgrades) {

  public static final List<String> DEFAULT_UPGRADES = List.of("websocket");
  public static final RequestPolicy DEFAULT = new RequestPolicy(false, false, false, 0, DEFAULT_UPGRADES);

  public RequestPolicy {
    upgrades = upgrades.stream().map(u -> u.toLowerCase(Locale.ROOT)).distinct().toList();
  }

  /** Reads the policy's fields from a route's JSON (they sit at the route's top level). */
  public static RequestPolicy fromJson(JsonObject route) {
    JsonArray up = route.getJsonArray("upgrades");
    return new RequestPolicy(
        route.getBoolean("caseSensitive", false),
        route.getBoolean("allowEncodedSlashes", false),
        route.getBoolean("allowPathParameters", false),
        route.getLong("maxRequestBodyBytes", 0L),
        up == null ? DEFAULT_UPGRADES : up.stream().map(String::valueOf).toList());
  }

  /** Writes the policy's fields into a route's JSON. */
  public JsonObject writeTo(JsonObject route) {
    return route.put("caseSensitive", caseSensitive)
        .put("allowEncodedSlashes", allowEncodedSlashes)
        .put("allowPathParameters", allowPathParameters)
        .put("maxRequestBodyBytes", maxRequestBodyBytes)
        .put("upgrades", new JsonArray(upgrades));
  }

  /** @param token an {@code Upgrade} protocol name, compared without case and version */
  public boolean allowsUpgrade(String token) {
    int slash = token.indexOf('/');
    String name = (slash < 0 ? token : token.substring(0, slash)).trim().toLowerCase(Locale.ROOT);
    return !name.equals("h2c") && upgrades.contains(name);
  }
}
