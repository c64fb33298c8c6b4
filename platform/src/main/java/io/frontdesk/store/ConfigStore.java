package io.frontdesk.store;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.config.ConfigInputs;
import io.frontdesk.config.ConflictException;
import io.frontdesk.config.InvalidConfigException;
import io.frontdesk.config.NotFoundException;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.frontdesk.routing.SnapshotCompiler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The configuration in PostgreSQL. Every change is one transaction that takes the version lock,
 * applies the change, loads the resulting whole configuration and dry-run compiles it (so nothing
 * a node cannot load is ever stored), bumps {@code config_version}, records the history entry and
 * NOTIFYs the new version. On any error the transaction rolls back: nothing is half-written.
 */
public final class ConfigStore {

  /** The NOTIFY channel carrying new config versions. */
  public static final String CHANNEL = "frontdesk_config";

  private final Pool pool;
  private final SnapshotCompiler compiler;

  public ConfigStore(Pool pool, SnapshotCompiler compiler) {
    this.pool = pool;
    this.compiler = compiler;
  }

  public Pool pool() {
    return pool;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading.

  /** @return the whole configuration, read consistently */
  public Future<ConfigDocument> load() {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
        .compose(v -> loadDocument(conn)));
  }

  public Future<Long> version() {
    return pool.query("SELECT version FROM config_state WHERE id = 1").execute()
        .map(rs -> rs.iterator().next().getLong(0));
  }

  static Future<ConfigDocument> loadDocument(SqlConnection conn) {
    Future<Long> version = conn.query("SELECT version FROM config_state WHERE id = 1").execute()
        .map(rs -> rs.iterator().next().getLong(0));
    Future<List<Site>> sites = conn.query("SELECT id, name, spec FROM sites ORDER BY name").execute()
        .map(rs -> map(rs, r -> Site.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec"))));
    Future<List<Upstream>> upstreams = conn.query("SELECT id, name, spec FROM upstreams ORDER BY name").execute()
        .map(rs -> map(rs, r -> Upstream.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec"))));
    Future<List<Route>> routes = conn.query("SELECT id, name, site_id, upstream_id, spec FROM routes ORDER BY name")
        .execute().map(rs -> map(rs, r -> Route.fromJson(r.getUUID("id").toString(), r.getString("name"),
            r.getUUID("site_id").toString(), r.getUUID("upstream_id").toString(), json(r, "spec"))));
    Future<List<PluginBinding>> bindings = conn.query(
        "SELECT id, plugin_id, scope, site_id, route_id, spec FROM plugin_bindings ORDER BY created_at, id").execute()
        .map(rs -> map(rs, ConfigStore::binding));
    Future<List<String>> disabled = conn.query(
        "SELECT plugin_id FROM plugin_settings WHERE NOT enabled ORDER BY plugin_id").execute()
        .map(rs -> map(rs, r -> r.getString(0)));
    return Future.all(List.of(version, sites, upstreams, routes, bindings, disabled)).map(cf -> new ConfigDocument(
        version.result(), sites.result(), upstreams.result(), routes.result(), bindings.result(), disabled.result()));
  }

  private static PluginBinding binding(Row r) {
    return PluginBinding.fromJson(r.getUUID("id").toString(), r.getString("plugin_id"),
        PluginBinding.Scope.valueOf(r.getString("scope").toUpperCase(java.util.Locale.ROOT)),
        uuid(r, "site_id"), uuid(r, "route_id"), json(r, "spec"));
  }

  private static String uuid(Row r, String col) {
    UUID u = r.getUUID(col);
    return u == null ? null : u.toString();
  }

  private static JsonObject json(Row r, String col) {
    Object v = r.getValue(col);
    return v instanceof JsonObject o ? o : new JsonObject(String.valueOf(v));
  }

  private static <T> List<T> map(RowSet<Row> rs, Function<Row, T> f) {
    List<T> out = new ArrayList<>(rs.size());
    for (Row r : rs) {
      out.add(f.apply(r));
    }
    return out;
  }

  /** A page of a listing. */
  public record Page(List<JsonObject> items, long total, int limit, int offset) {
    public JsonObject toJson() {
      return new JsonObject().put("items", new JsonArray(new ArrayList<>(items))).put("total", total)
          .put("limit", limit).put("offset", offset);
    }
  }

  public Future<Page> listSites(int limit, int offset, String q) {
    return page("sites", limit, offset, q, null, this::siteJson);
  }

  public Future<Page> listUpstreams(int limit, int offset, String q) {
    return page("upstreams", limit, offset, q, null, this::upstreamJson);
  }

  public Future<Page> listRoutes(int limit, int offset, String q, String siteRef) {
    if (siteRef == null) {
      return page("routes", limit, offset, q, null, this::routeJson);
    }
    return pool.withConnection(conn -> resolve(conn, "sites", "site", siteRef)
        .compose(siteId -> page("routes", limit, offset, q, siteId, this::routeJson)));
  }

  private Future<Page> page(String table, int limit, int offset, String q, String siteId, Function<Row, JsonObject> f) {
    String where = " WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%')"
        + (siteId != null ? " AND site_id = $4::uuid" : "");
    String select = switch (table) {
      case "routes" -> "SELECT r.*, s.name AS site_name, u.name AS upstream_name FROM routes r "
          + "JOIN sites s ON s.id = r.site_id JOIN upstreams u ON u.id = r.upstream_id";
      default -> "SELECT * FROM " + table;
    };
    String sql = "SELECT * FROM (" + select + ") t" + where + " ORDER BY name LIMIT $2 OFFSET $3";
    String count = "SELECT count(*) FROM " + table + where.replace("$4", "$2");
    Tuple args = siteId != null ? Tuple.of(q, limit, offset, siteId) : Tuple.of(q, limit, offset);
    Tuple countArgs = siteId != null ? Tuple.of(q, siteId) : Tuple.of(q);
    return pool.withConnection(conn -> conn.preparedQuery(sql).execute(args)
        .compose(rs -> conn.preparedQuery(count).execute(countArgs)
            .map(c -> new Page(map(rs, f), c.iterator().next().getLong(0), limit, offset))));
  }

  public Future<JsonObject> getSite(String ref) {
    return pool.withConnection(conn -> one(conn, "SELECT * FROM sites", "site", ref).map(this::siteJson));
  }

  public Future<JsonObject> getUpstream(String ref) {
    return pool.withConnection(conn -> one(conn, "SELECT * FROM upstreams", "upstream", ref).map(this::upstreamJson));
  }

  public Future<JsonObject> getRoute(String ref) {
    return pool.withConnection(conn -> one(conn, "SELECT r.*, s.name AS site_name, u.name AS upstream_name "
        + "FROM routes r JOIN sites s ON s.id = r.site_id JOIN upstreams u ON u.id = r.upstream_id", "route", ref, "r")
        .map(this::routeJson));
  }

  private Future<Row> one(SqlConnection conn, String select, String kind, String ref) {
    return one(conn, select, kind, ref, null);
  }

  private Future<Row> one(SqlConnection conn, String select, String kind, String ref, String alias) {
    String p = alias == null ? "" : alias + ".";
    boolean byId = ConfigInputs.looksLikeId(ref);
    String sql = select + (byId ? " WHERE " + p + "id = $1::uuid" : " WHERE " + p + "name = $1");
    return conn.preparedQuery(sql).execute(Tuple.of(ref)).compose(rs -> {
      if (rs.size() == 0) {
        return Future.failedFuture(new NotFoundException(kind + " '" + ref + "' does not exist"));
      }
      return Future.succeededFuture(rs.iterator().next());
    });
  }

  private Future<String> resolve(SqlConnection conn, String table, String kind, String ref) {
    return one(conn, "SELECT id FROM " + table, kind, ref).map(r -> r.getUUID("id").toString());
  }

  private JsonObject siteJson(Row r) {
    return stamps(Site.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec")).toJson(), r);
  }

  private JsonObject upstreamJson(Row r) {
    return stamps(Upstream.fromJson(r.getUUID("id").toString(), r.getString("name"), json(r, "spec")).toJson(), r);
  }

  private JsonObject routeJson(Row r) {
    Route route = Route.fromJson(r.getUUID("id").toString(), r.getString("name"), r.getUUID("site_id").toString(),
        r.getUUID("upstream_id").toString(), json(r, "spec"));
    JsonObject j = new JsonObject().put("id", route.id()).put("name", route.name())
        .put("site", r.getString("site_name")).put("siteId", route.siteId())
        .put("upstream", r.getString("upstream_name")).put("upstreamId", route.upstreamId())
        .mergeIn(route.spec());
    return stamps(j, r);
  }

  private static JsonObject stamps(JsonObject j, Row r) {
    OffsetDateTime c = r.getOffsetDateTime("created_at");
    OffsetDateTime u = r.getOffsetDateTime("updated_at");
    return j.put("createdAt", c == null ? null : c.toInstant().toString())
        .put("updatedAt", u == null ? null : u.toInstant().toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  /** The result of a change: the resource's new form and the config version that holds it. */
  public record Change<T>(T value, long version) {
  }

  /**
   * Runs {@code change} in one transaction holding the version lock; validates the resulting
   * configuration, bumps the version, records history and notifies the nodes.
   */
  public <T> Future<Change<T>> write(String actor, String action, Function<SqlConnection, Future<T>> change) {
    return pool.withTransaction(conn -> conn.query("UPDATE config_state SET version = version + 1 WHERE id = 1 "
            + "RETURNING version").execute()
        .compose(rs -> {
          long version = rs.iterator().next().getLong(0);
          return change.apply(conn)
              .compose(value -> loadDocument(conn).compose(doc -> {
                compiler.validate(doc);
                return conn.preparedQuery("INSERT INTO config_history (version, actor, action, document) "
                        + "VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(version, actor, action, doc.toJson()))
                    .compose(x -> conn.preparedQuery("SELECT pg_notify($1, $2)")
                        .execute(Tuple.of(CHANNEL, Long.toString(version))))
                    .map(x -> new Change<>(value, version));
              }));
        }))
        .recover(ConfigStore::translate);
  }

  /** Turns constraint violations that slipped past the explicit checks into 409s. */
  private static <T> Future<T> translate(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("23505".equals(state)) {
        return Future.failedFuture(new ConflictException(fieldOf(pg.getConstraint()),
            "conflicts with an existing resource (" + pg.getConstraint() + ")"));
      }
      if ("23503".equals(state)) {
        return Future.failedFuture(new ConflictException("", "the change breaks a reference ("
            + pg.getConstraint() + ")"));
      }
      if ("40001".equals(state) || "40P01".equals(state)) {
        return Future.failedFuture(new ConflictException("", "a concurrent change won; try again"));
      }
    }
    return Future.failedFuture(t);
  }

  private static String fieldOf(String constraint) {
    if (constraint == null) {
      return "";
    }
    return constraint.contains("host") ? "hosts" : constraint.contains("name") ? "name" : "";
  }

  public Future<Change<JsonObject>> createSite(Site s, String actor) {
    return write(actor, "create site " + s.name(), conn -> checkSiteConflicts(conn, s, null)
        .compose(v -> conn.preparedQuery("INSERT INTO sites (name, spec) VALUES ($1, $2) RETURNING id")
            .execute(Tuple.of(s.name(), s.spec())))
        .compose(rs -> {
          String id = rs.iterator().next().getUUID(0).toString();
          return insertHosts(conn, id, s).compose(v -> one(conn, "SELECT * FROM sites", "site", id)).map(this::siteJson);
        }));
  }

  public Future<Change<JsonObject>> replaceSite(String ref, Site s, String actor) {
    return write(actor, "update site " + s.name(), conn -> resolve(conn, "sites", "site", ref)
        .compose(id -> checkSiteConflicts(conn, s, id)
            .compose(v -> conn.preparedQuery("UPDATE sites SET name = $2, spec = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id), s.name(), s.spec())))
            .compose(v -> conn.preparedQuery("DELETE FROM site_hosts WHERE site_id = $1").execute(Tuple.of(UUID.fromString(id))))
            .compose(v -> insertHosts(conn, id, s))
            .compose(v -> one(conn, "SELECT * FROM sites", "site", id)).map(this::siteJson)));
  }

  public Future<Change<JsonObject>> deleteSite(String ref, String actor) {
    return write(actor, "delete site " + ref, conn -> one(conn, "SELECT * FROM sites", "site", ref)
        .compose(row -> conn.preparedQuery("DELETE FROM sites WHERE id = $1").execute(Tuple.of(row.getUUID("id")))
            .map(v -> siteJson(row))));
  }

  private Future<Void> checkSiteConflicts(SqlConnection conn, Site s, String selfId) {
    UUID self = selfId == null ? new UUID(0, 0) : UUID.fromString(selfId);
    return conn.preparedQuery("SELECT 1 FROM sites WHERE name = $1 AND id <> $2").execute(Tuple.of(s.name(), self))
        .compose(rs -> {
          if (rs.size() > 0) {
            return Future.failedFuture(new ConflictException("name", "a site named '" + s.name() + "' already exists"));
          }
          return conn.preparedQuery("SELECT h.host, s.name FROM site_hosts h JOIN sites s ON s.id = h.site_id "
              + "WHERE h.host = ANY($1) AND h.site_id <> $2 ORDER BY h.host")
              .execute(Tuple.of(s.hosts().toArray(String[]::new), self));
        })
        .compose(rs -> {
          if (rs.size() > 0) {
            List<io.frontdesk.config.FieldError> errors = new ArrayList<>();
            for (Row r : rs) {
              errors.add(new io.frontdesk.config.FieldError("hosts", "host '" + r.getString(0)
                  + "' already belongs to site '" + r.getString(1) + "'"));
            }
            return Future.failedFuture(new ConflictException(errors));
          }
          return Future.succeededFuture();
        });
  }

  private Future<Void> insertHosts(SqlConnection conn, String siteId, Site s) {
    return conn.preparedQuery("INSERT INTO site_hosts (host, site_id) SELECT unnest($1::text[]), $2")
        .execute(Tuple.of(s.hosts().toArray(String[]::new), UUID.fromString(siteId))).mapEmpty();
  }

  public Future<Change<JsonObject>> createUpstream(Upstream u, String actor) {
    return write(actor, "create upstream " + u.name(), conn -> checkName(conn, "upstreams", "upstream", u.name(), null)
        .compose(v -> conn.preparedQuery("INSERT INTO upstreams (name, spec) VALUES ($1, $2) RETURNING id")
            .execute(Tuple.of(u.name(), u.spec())))
        .compose(rs -> one(conn, "SELECT * FROM upstreams", "upstream", rs.iterator().next().getUUID(0).toString()))
        .map(this::upstreamJson));
  }

  public Future<Change<JsonObject>> replaceUpstream(String ref, Upstream u, String actor) {
    return write(actor, "update upstream " + u.name(), conn -> resolve(conn, "upstreams", "upstream", ref)
        .compose(id -> checkName(conn, "upstreams", "upstream", u.name(), id)
            .compose(v -> conn.preparedQuery("UPDATE upstreams SET name = $2, spec = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id), u.name(), u.spec())))
            .compose(v -> one(conn, "SELECT * FROM upstreams", "upstream", id)).map(this::upstreamJson)));
  }

  public Future<Change<JsonObject>> deleteUpstream(String ref, String actor) {
    return write(actor, "delete upstream " + ref, conn -> one(conn, "SELECT * FROM upstreams", "upstream", ref)
        .compose(row -> conn.preparedQuery("SELECT name FROM routes WHERE upstream_id = $1 ORDER BY name")
            .execute(Tuple.of(row.getUUID("id")))
            .compose(rs -> {
              if (rs.size() > 0) {
                List<String> names = map(rs, r -> r.getString(0));
                return Future.failedFuture(new ConflictException("", "upstream '" + row.getString("name")
                    + "' is used by route" + (names.size() > 1 ? "s " : " ") + String.join(", ", names)
                    + "; point them elsewhere or delete them first"));
              }
              return conn.preparedQuery("DELETE FROM upstreams WHERE id = $1").execute(Tuple.of(row.getUUID("id")));
            })
            .map(v -> upstreamJson(row))));
  }

  public Future<Change<JsonObject>> createRoute(ConfigInputs.RouteInput in, String actor) {
    return write(actor, "create route " + in.name(), conn -> checkName(conn, "routes", "route", in.name(), null)
        .compose(v -> references(conn, in))
        .compose(refs -> conn.preparedQuery("INSERT INTO routes (name, site_id, upstream_id, spec) VALUES ($1, $2, $3, $4) "
            + "RETURNING id").execute(Tuple.of(in.name(), UUID.fromString(refs[0]), UUID.fromString(refs[1]), in.spec())))
        .compose(rs -> getRoute(conn, rs.iterator().next().getUUID(0).toString())));
  }

  public Future<Change<JsonObject>> replaceRoute(String ref, ConfigInputs.RouteInput in, String actor) {
    return write(actor, "update route " + in.name(), conn -> resolve(conn, "routes", "route", ref)
        .compose(id -> checkName(conn, "routes", "route", in.name(), id)
            .compose(v -> references(conn, in))
            .compose(refs -> conn.preparedQuery("UPDATE routes SET name = $2, site_id = $3, upstream_id = $4, spec = $5, "
                + "updated_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(id), in.name(),
                UUID.fromString(refs[0]), UUID.fromString(refs[1]), in.spec())))
            .compose(v -> getRoute(conn, id))));
  }

  public Future<Change<JsonObject>> deleteRoute(String ref, String actor) {
    return write(actor, "delete route " + ref, conn -> getRoute(conn, ref)
        .compose(json -> conn.preparedQuery("DELETE FROM routes WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(json.getString("id")))).map(v -> json)));
  }

  private Future<JsonObject> getRoute(SqlConnection conn, String ref) {
    return one(conn, "SELECT r.*, s.name AS site_name, u.name AS upstream_name FROM routes r "
        + "JOIN sites s ON s.id = r.site_id JOIN upstreams u ON u.id = r.upstream_id", "route", ref, "r")
        .map(this::routeJson);
  }

  /** @return [siteId, upstreamId]; 409 when either is missing */
  private Future<String[]> references(SqlConnection conn, ConfigInputs.RouteInput in) {
    Future<String> site = resolve(conn, "sites", "site", in.siteRef()).recover(t -> t instanceof NotFoundException
        ? Future.failedFuture(new ConflictException("site", "route '" + in.name() + "' points at site '"
            + in.siteRef() + "', which does not exist"))
        : Future.failedFuture(t));
    return site.compose(s -> resolve(conn, "upstreams", "upstream", in.upstreamRef())
        .recover(t -> t instanceof NotFoundException
            ? Future.failedFuture(new ConflictException("upstream", "route '" + in.name() + "' points at upstream '"
                + in.upstreamRef() + "', which does not exist"))
            : Future.failedFuture(t))
        .map(u -> new String[] {s, u}));
  }

  private Future<Void> checkName(SqlConnection conn, String table, String kind, String name, String selfId) {
    UUID self = selfId == null ? new UUID(0, 0) : UUID.fromString(selfId);
    return conn.preparedQuery("SELECT 1 FROM " + table + " WHERE name = $1 AND id <> $2").execute(Tuple.of(name, self))
        .compose(rs -> rs.size() > 0
            ? Future.failedFuture(new ConflictException("name", "a " + kind + " named '" + name + "' already exists"))
            : Future.succeededFuture());
  }

  // ---------------------------------------------------------------------------------------------
  // Plugin bindings.

  public Future<Page> listBindings(String pluginId, int limit, int offset) {
    String where = pluginId == null ? "" : " WHERE b.plugin_id = $3";
    String sql = BINDING_SELECT + where + " ORDER BY b.created_at, b.id LIMIT $1 OFFSET $2";
    Tuple args = pluginId == null ? Tuple.of(limit, offset) : Tuple.of(limit, offset, pluginId);
    String count = "SELECT count(*) FROM plugin_bindings" + (pluginId == null ? "" : " WHERE plugin_id = $1");
    Tuple countArgs = pluginId == null ? Tuple.tuple() : Tuple.of(pluginId);
    return pool.withConnection(conn -> conn.preparedQuery(sql).execute(args)
        .compose(rs -> conn.preparedQuery(count).execute(countArgs)
            .map(c -> new Page(map(rs, ConfigStore::bindingJson), c.iterator().next().getLong(0), limit, offset))));
  }

  private static final String BINDING_SELECT = "SELECT b.*, s.name AS site_name, r.name AS route_name "
      + "FROM plugin_bindings b LEFT JOIN sites s ON s.id = b.site_id LEFT JOIN routes r ON r.id = b.route_id";

  private static JsonObject bindingJson(Row r) {
    PluginBinding b = binding(r);
    String targetName = b.scope() == PluginBinding.Scope.SITE ? r.getString("site_name")
        : b.scope() == PluginBinding.Scope.ROUTE ? r.getString("route_name") : null;
    String targetId = b.scope() == PluginBinding.Scope.SITE ? b.siteId()
        : b.scope() == PluginBinding.Scope.ROUTE ? b.routeId() : null;
    return stamps(new JsonObject().put("id", b.id()).put("plugin", b.pluginId()).put("scope", b.scope().json())
        .put("target", targetName).put("targetId", targetId).mergeIn(b.spec()), r);
  }

  public Future<JsonObject> getBinding(String pluginId, String id) {
    if (!ConfigInputs.looksLikeId(id)) {
      return Future.failedFuture(new NotFoundException("binding '" + id + "' does not exist"));
    }
    return pool.withConnection(conn -> bindingRow(conn, pluginId, id).map(ConfigStore::bindingJson));
  }

  private Future<Row> bindingRow(SqlConnection conn, String pluginId, String id) {
    if (!ConfigInputs.looksLikeId(id)) {
      return Future.failedFuture(new NotFoundException("binding '" + id + "' does not exist"));
    }
    return conn.preparedQuery(BINDING_SELECT + " WHERE b.id = $1 AND b.plugin_id = $2")
        .execute(Tuple.of(UUID.fromString(id), pluginId)).compose(rs -> rs.size() == 0
            ? Future.failedFuture(new NotFoundException("binding '" + id + "' of plugin '" + pluginId + "' does not exist"))
            : Future.succeededFuture(rs.iterator().next()));
  }

  public Future<Change<JsonObject>> createBinding(String pluginId, ConfigInputs.BindingInput in, String actor) {
    return write(actor, "bind plugin " + pluginId + " (" + in.scope().json()
            + (in.targetRef() == null ? "" : " " + in.targetRef()) + ")",
        conn -> bindingTarget(conn, in)
            .compose(t -> conn.preparedQuery("INSERT INTO plugin_bindings (plugin_id, scope, site_id, route_id, spec) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING id").execute(Tuple.of(pluginId, in.scope().json(), t[0], t[1],
                in.spec())))
            .compose(rs -> bindingRow(conn, pluginId, rs.iterator().next().getUUID(0).toString()))
            .map(ConfigStore::bindingJson));
  }

  public Future<Change<JsonObject>> replaceBinding(String pluginId, String id, ConfigInputs.BindingInput in,
      String actor) {
    return write(actor, "update binding " + id + " of plugin " + pluginId, conn -> bindingRow(conn, pluginId, id)
        .compose(row -> bindingTarget(conn, in))
        .compose(t -> conn.preparedQuery("UPDATE plugin_bindings SET scope = $2, site_id = $3, route_id = $4, spec = $5, "
            + "updated_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(id), in.scope().json(), t[0], t[1],
            in.spec())))
        .compose(v -> bindingRow(conn, pluginId, id)).map(ConfigStore::bindingJson));
  }

  public Future<Change<JsonObject>> deleteBinding(String pluginId, String id, String actor) {
    return write(actor, "unbind plugin " + pluginId + " (" + id + ")", conn -> bindingRow(conn, pluginId, id)
        .compose(row -> conn.preparedQuery("DELETE FROM plugin_bindings WHERE id = $1").execute(Tuple.of(row.getUUID("id")))
            .map(v -> bindingJson(row))));
  }

  /** Sets the priorities of several bindings at once (the dashboard's drag-and-drop reorder). */
  public Future<Change<Integer>> reorderBindings(List<String> ids, List<Integer> priorities, String actor) {
    return write(actor, "reorder " + ids.size() + " plugin bindings", conn -> {
      Future<Integer> f = Future.succeededFuture(0);
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        int prio = priorities.get(i);
        if (!ConfigInputs.looksLikeId(id)) {
          return Future.failedFuture(new InvalidConfigException("bindings[" + i + "]", "is not a binding id"));
        }
        f = f.compose(n -> conn.preparedQuery("UPDATE plugin_bindings SET spec = jsonb_set(spec, '{priority}', to_jsonb($2::int)), "
            + "updated_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(id), prio))
            .compose(rs -> rs.rowCount() == 0
                ? Future.failedFuture(new NotFoundException("binding '" + id + "' does not exist"))
                : Future.succeededFuture(n + 1)));
      }
      return f;
    });
  }

  /** Switches a plugin on or off for every node. */
  public Future<Change<Boolean>> setPluginEnabled(String pluginId, boolean enabled, String actor) {
    return write(actor, (enabled ? "enable" : "disable") + " plugin " + pluginId, conn -> conn.preparedQuery(
            "INSERT INTO plugin_settings (plugin_id, enabled) VALUES ($1, $2) "
                + "ON CONFLICT (plugin_id) DO UPDATE SET enabled = $2, updated_at = now()")
        .execute(Tuple.of(pluginId, enabled)).map(v -> enabled));
  }

  /** @return [siteId, routeId] as UUIDs (either may be null) */
  private Future<UUID[]> bindingTarget(SqlConnection conn, ConfigInputs.BindingInput in) {
    return switch (in.scope()) {
      case GLOBAL -> Future.succeededFuture(new UUID[] {null, null});
      case SITE -> resolve(conn, "sites", "site", in.targetRef()).map(id -> new UUID[] {UUID.fromString(id), null})
          .recover(t -> t instanceof NotFoundException
              ? Future.failedFuture(new ConflictException("target", "site '" + in.targetRef() + "' does not exist"))
              : Future.failedFuture(t));
      case ROUTE -> resolve(conn, "routes", "route", in.targetRef()).map(id -> new UUID[] {null, UUID.fromString(id)})
          .recover(t -> t instanceof NotFoundException
              ? Future.failedFuture(new ConflictException("target", "route '" + in.targetRef() + "' does not exist"))
              : Future.failedFuture(t));
    };
  }

  // ---------------------------------------------------------------------------------------------
  // History and rollback.

  public Future<Page> history(int limit, int offset) {
    return pool.withConnection(conn -> conn.preparedQuery("SELECT version, changed_at, actor, action FROM config_history "
            + "ORDER BY version DESC LIMIT $1 OFFSET $2").execute(Tuple.of(limit, offset))
        .compose(rs -> conn.query("SELECT count(*) FROM config_history").execute()
            .map(c -> new Page(map(rs, r -> new JsonObject().put("version", r.getLong("version"))
                .put("changedAt", r.getOffsetDateTime("changed_at").toInstant().toString())
                .put("actor", r.getString("actor")).put("action", r.getString("action"))),
                c.iterator().next().getLong(0), limit, offset))));
  }

  /** @return the configuration document stored for {@code version} */
  public Future<JsonObject> historyDocument(long version) {
    return pool.preparedQuery("SELECT version, changed_at, actor, action, document FROM config_history WHERE version = $1")
        .execute(Tuple.of(version)).compose(rs -> {
          if (rs.size() == 0) {
            return Future.failedFuture(new NotFoundException("config version " + version + " is not in the history"));
          }
          Row r = rs.iterator().next();
          return Future.succeededFuture(new JsonObject().put("version", r.getLong("version"))
              .put("changedAt", r.getOffsetDateTime("changed_at").toInstant().toString())
              .put("actor", r.getString("actor")).put("action", r.getString("action"))
              .put("document", json(r, "document")));
        });
  }

  /** Restores the whole configuration of an earlier version, as a new version. */
  public Future<Change<Long>> rollback(long toVersion, String actor) {
    return historyDocument(toVersion).compose(h -> {
      ConfigDocument target = ConfigDocument.fromJson(h.getJsonObject("document"));
      return write(actor, "roll back to version " + toVersion, conn -> replaceAll(conn, target).map(v -> toVersion));
    });
  }

  private static Future<Void> replaceAll(SqlConnection conn, ConfigDocument doc) {
    Future<Void> f = conn.query("DELETE FROM plugin_bindings").execute()
        .compose(v -> conn.query("DELETE FROM plugin_settings").execute())
        .compose(v -> conn.query("DELETE FROM routes").execute())
        .compose(v -> conn.query("DELETE FROM site_hosts").execute())
        .compose(v -> conn.query("DELETE FROM sites").execute())
        .compose(v -> conn.query("DELETE FROM upstreams").execute()).mapEmpty();
    for (Site s : doc.sites()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO sites (id, name, spec) VALUES ($1, $2, $3)")
          .execute(Tuple.of(UUID.fromString(s.id()), s.name(), s.spec()))
          .compose(x -> conn.preparedQuery("INSERT INTO site_hosts (host, site_id) SELECT unnest($1::text[]), $2")
              .execute(Tuple.of(s.hosts().toArray(String[]::new), UUID.fromString(s.id())))).mapEmpty());
    }
    for (Upstream u : doc.upstreams()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO upstreams (id, name, spec) VALUES ($1, $2, $3)")
          .execute(Tuple.of(UUID.fromString(u.id()), u.name(), u.spec())).mapEmpty());
    }
    for (Route r : doc.routes()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO routes (id, name, site_id, upstream_id, spec) VALUES ($1, $2, $3, $4, $5)")
          .execute(Tuple.of(UUID.fromString(r.id()), r.name(), UUID.fromString(r.siteId()), UUID.fromString(r.upstreamId()),
              r.spec())).mapEmpty());
    }
    for (String p : doc.disabledPlugins()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO plugin_settings (plugin_id, enabled) VALUES ($1, false)")
          .execute(Tuple.of(p)).mapEmpty());
    }
    for (PluginBinding b : doc.bindings()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO plugin_bindings (id, plugin_id, scope, site_id, route_id, spec) "
          + "VALUES ($1, $2, $3, $4, $5, $6)").execute(Tuple.of(UUID.fromString(b.id()), b.pluginId(), b.scope().json(),
          b.siteId() == null ? null : UUID.fromString(b.siteId()), b.routeId() == null ? null : UUID.fromString(b.routeId()),
          b.spec())).mapEmpty());
    }
    return f;
  }
}
