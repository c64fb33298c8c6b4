package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole configuration at one version: what a node compiles into a snapshot, what the history
 * keeps and what a rollback restores.
 */
public record ConfigDocument(
    long version, List<Site> sites, List<Upstream> upstreams, List<Route> routes, List<PluginBinding> bindings,
    List<String> disabledPlugins) {

  public ConfigDocument {
    sites = List.copyOf(sites);
    upstreams = List.copyOf(upstreams);
    routes = List.copyOf(routes);
    bindings = List.copyOf(bindings);
    disabledPlugins = List.copyOf(disabledPlugins);
  }

  public static ConfigDocument empty() {
    return new ConfigDocument(0, List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** @return whether an operator switched the plugin off */
  public boolean pluginDisabled(String pluginId) {
    return disabledPlugins.contains(pluginId);
  }

  public Map<String, Site> sitesById() {
    return sites.stream().collect(Collectors.toMap(Site::id, Function.identity()));
  }

  public Map<String, Upstream> upstreamsById() {
    return upstreams.stream().collect(Collectors.toMap(Upstream::id, Function.identity()));
  }

  public Map<String, Route> routesById() {
    return routes.stream().collect(Collectors.toMap(Route::id, Function.identity()));
  }

  public Optional<Site> site(String id) {
    return sites.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Optional<Upstream> upstream(String id) {
    return upstreams.stream().filter(u -> u.id().equals(id)).findFirst();
  }

  public Optional<Route> route(String id) {
    return routes.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public ConfigDocument withVersion(long v) {
    return new ConfigDocument(v, sites, upstreams, routes, bindings, disabledPlugins);
  }

  public JsonObject toJson() {
    JsonArray s = new JsonArray();
    sites.forEach(x -> s.add(x.toJson()));
    JsonArray u = new JsonArray();
    upstreams.forEach(x -> u.add(x.toJson()));
    JsonArray r = new JsonArray();
    routes.forEach(x -> r.add(new JsonObject().put("id", x.id()).put("name", x.name())
        .put("siteId", x.siteId()).put("upstreamId", x.upstreamId()).mergeIn(x.spec())));
    JsonArray b = new JsonArray();
    bindings.forEach(x -> b.add(new JsonObject().put("id", x.id()).put("pluginId", x.pluginId())
        .put("scope", x.scope().json()).put("siteId", x.siteId()).put("routeId", x.routeId())
        .mergeIn(x.spec())));
    return new JsonObject().put("version", version).put("sites", s).put("upstreams", u)
        .put("routes", r).put("bindings", b).put("disabledPlugins", new JsonArray(disabledPlugins));
  }

  public static ConfigDocument fromJson(JsonObject json) {
    List<Site> sites = objects(json, "sites").stream()
        .map(o -> Site.fromJson(o.getString("id"), o.getString("name"), o)).toList();
    List<Upstream> upstreams = objects(json, "upstreams").stream()
        .map(o -> Upstream.fromJson(o.getString("id"), o.getString("name"), o)).toList();
    List<Route> routes = objects(json, "routes").stream()
        .map(o -> Route.fromJson(o.getString("id"), o.getString("name"), o.getString("siteId"),
            o.getString("upstreamId"), o)).toList();
    List<PluginBinding> bindings = objects(json, "bindings").stream()
        .map(o -> PluginBinding.fromJson(o.getString("id"), o.getString("pluginId"),
            PluginBinding.Scope.valueOf(o.getString("scope").toUpperCase(java.util.Locale.ROOT)),
            o.getString("siteId"), o.getString("routeId"), o)).toList();
    List<String> disabled = json.getJsonArray("disabledPlugins", new JsonArray()).stream().map(String::valueOf).toList();
    return new ConfigDocument(json.getLong("version", 0L), sites, upstreams, routes, bindings, disabled);
  }

  private static List<JsonObject> objects(JsonObject json, String key) {
    return json.getJsonArray(key, new JsonArray()).stream().map(o -> (JsonObject) o).toList();
  }
}
