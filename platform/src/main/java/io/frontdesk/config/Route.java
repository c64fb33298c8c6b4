package io.frontdesk.config;

import io.vertx.core.json.JsonObject;

/**
 * A rule inside a site that sends matching requests to an upstream.
 *
 * @param priority higher runs first; among equal priorities an exact path beats a regex, which
 *     beats the longest prefix
 * @param stripPrefix remove the matched {@code pathPrefix} before forwarding ({@code /api/users}
 *     → {@code /users})
 * @param rewrite replaces the matched part of the path: the prefix for {@code pathPrefix}, the
 *     whole path for {@code path}, and for {@code pathRegex} a replacement with {@code $1}/{@code
 *     ${name}} groups; {@code null} = no rewrite
 * @param preserveHost send the client's {@code Host} upstream instead of the target's address
 * @param enabled a disabled route matches nothing
 * @param policy path comparison, unusual path forms, body limit and upgrades (see {@link RequestPolicy})
 */
public record Route(
    String id,
    String name,
    String siteId,
    String upstreamId,
    RouteMatch match,
    int priority,
    boolean stripPrefix,
    String rewrite,
    boolean preserveHost,
    boolean enabled,
    RequestPolicy policy) {

  public Route {
    if (policy == null) {
      policy = RequestPolicy.DEFAULT;
    }
  }

  /** A route with the default {@link RequestPolicy}. */
  public Route(String id, String name, String siteId, String upstreamId, RouteMatch match, int priority,
      boolean stripPrefix, String rewrite, boolean preserveHost, boolean enabled) {
    this(id, name, siteId, upstreamId, match, priority, stripPrefix, rewrite, preserveHost, enabled,
        RequestPolicy.DEFAULT);
  }

  public static Route fromJson(String id, String name, String siteId, String upstreamId, JsonObject json) {
    return new Route(id, name, siteId, upstreamId,
        RouteMatch.fromJson(json.getJsonObject("match")),
        json.getInteger("priority", 0),
        json.getBoolean("stripPrefix", false),
        json.getString("rewrite"),
        json.getBoolean("preserveHost", false),
        json.getBoolean("enabled", true),
        RequestPolicy.fromJson(json));
  }

  public JsonObject spec() {
    return policy.writeTo(new JsonObject()
        .put("match", match.toJson())
        .put("priority", priority)
        .put("stripPrefix", stripPrefix)
        .put("rewrite", rewrite)
        .put("preserveHost", preserveHost)
        .put("enabled", enabled));
  }
}
