package io.frontdesk.store;

import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** How the rows of the config tables become config records and the admin API's JSON. */
final class StoredRows {

  /** Bindings with the names of their site or route. */
  static final String BINDING_SELECT = "SELECT b.*, s.name AS site_name, r.name AS route_name "
      + "FROM plugin_bindings b LEFT JOIN sites s ON s.id = b.site_id LEFT JOIN routes r ON r.id = b.route_id";
  /** Routes with the names of their site and upstream. */
  static final String ROUTE_SELECT = "SELECT r.*, s.name AS site_name, u.name AS upstream_name FROM routes r "
      + "JOIN sites s ON s.id = r.site_id JOIN upstreams u ON u.id = r.upstream_id";

  private StoredRows() {
  }

  static PluginBinding binding(Row r) {
    return PluginBinding.fromJson(r.getUUID("id").toString(), r.getString("plugin_id"),
        PluginBinding.Scope.valueOf(r.getString("scope").toUpperCase(Locale.ROOT)),
        uuid(r, "site_id"), uuid(r, "route_id"), json(r, "spec"));
  }

  static JsonObject siteJson(Row r) {
    return stamps(Site.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec")).toJson(), r);
  }

  static JsonObject upstreamJson(Row r) {
    return stamps(Upstream.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec")).toJson(), r);
  }

  /** @param r a row of {@link #ROUTE_SELECT} */
  static JsonObject routeJson(Row r) {
    Route route = Route.fromJson(r.getUUID("id").toString(), r.getString("name"), r.getUUID("site_id").toString(),
        r.getUUID("upstream_id").toString(), json(r, "spec"));
    JsonObject j = new JsonObject().put("id", route.id()).put("name", route.name())
        .put("site", r.getString("site_name")).put("siteId", route.siteId())
        .put("upstream", r.getString("upstream_name")).put("upstreamId", route.upstreamId())
        .mergeIn(route.spec());
    return stamps(j, r);
  }

  /** @param r a row of {@link #BINDING_SELECT} */
  static JsonObject bindingJson(Row r) {
    PluginBinding b = binding(r);
    String targetName = b.scope() == PluginBinding.Scope.SITE ? r.getString("site_name")
        : b.scope() == PluginBinding.Scope.ROUTE ? r.getString("route_name") : null;
    String targetId = b.scope() == PluginBinding.Scope.SITE ? b.siteId()
        : b.scope() == PluginBinding.Scope.ROUTE ? b.routeId() : null;
    return stamps(new JsonObject().put("id", b.id()).put("plugin", b.pluginId()).put("scope", b.scope().json())
        .put("target", targetName).put("targetId", targetId).mergeIn(b.spec()), r);
  }

  static String uuid(Row r, String col) {
    UUID u = r.getUUID(col);
    return u == null ? null : u.toString();
  }

  static JsonObject json(Row r, String col) {
    Object v = r.getValue(col);
    return v instanceof JsonObject o ? o : new JsonObject(String.valueOf(v));
  }

  static <T> List<T> map(RowSet<Row> rs, Function<Row, T> f) {
    List<T> out = new ArrayList<>(rs.size());
    for (Row r : rs) {
      out.add(f.apply(r));
    }
    return out;
  }

  private static JsonObject stamps(JsonObject j, Row r) {
    OffsetDateTime c = r.getOffsetDateTime("created_at");
    OffsetDateTime u = r.getOffsetDateTime("updated_at");
    return j.put("createdAt", c == null ? null : c.toInstant().toString())
        .put("updatedAt", u == null ? null : u.toInstant().toString());
  }
}
