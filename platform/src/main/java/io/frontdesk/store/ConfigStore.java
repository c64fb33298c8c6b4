package io.frontdesk.store;

import static io.frontdesk.store.References.one;
import static io.frontdesk.store.References.resolve;
import static io.frontdesk.store.StoredRows.json;
import static io.frontdesk.store.StoredRows.map;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.frontdesk.validation.ConflictException;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The configuration in PostgreSQL. Every change is one transaction that takes the version lock,
 * applies the change, loads the resulting whole configuration and checks it with the
 * {@link ConfigValidation} it was given (off the event loop; so nothing a node cannot load is ever
 * stored), bumps {@code config_version}, records the history entry and NOTIFYs the new version. On
 * any error the transaction rolls back: nothing is half-written. Sites, upstreams and routes are
 * here; bindings are in {@link #bindings()}, the history in {@link #history()}.
 */
public final class ConfigStore {

  /** The NOTIFY channel carrying new config versions. */
  public static final String CHANNEL = "frontdesk_config";

  private final Vertx vertx;
  private final Pool pool;
  private final ConfigValidation validation;
  private final BindingStore bindings;
  private final ConfigHistory history;

  public ConfigStore(Vertx vertx, Pool pool, ConfigValidation validation) {
    this.vertx = vertx;
    this.pool = pool;
    this.validation = validation;
    this.bindings = new BindingStore(this);
    this.history = new ConfigHistory(this);
  }

  public Pool pool() {
    return pool;
  }

  /** @return the plugin bindings */
  public BindingStore bindings() {
    return bindings;
  }

  /** @return the versions written so far, and rollback */
  public ConfigHistory history() {
    return history;
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
        .map(rs -> map(rs, StoredRows::binding));
    Future<List<String>> disabled = conn.query(
        "SELECT plugin_id FROM plugin_settings WHERE NOT enabled ORDER BY plugin_id").execute()
        .map(rs -> map(rs, r -> r.getString(0)));
    return Future.all(List.of(version, sites, upstreams, routes, bindings, disabled)).map(cf -> new ConfigDocument(
        version.result(), sites.result(), upstreams.result(), routes.result(), bindings.result(), disabled.result()));
  }

  /** A page of a listing. */
  public record Page(List<JsonObject> items, long total, int limit, int offset) {
    public JsonObject toJson() {
      return new JsonObject().put("items", new JsonArray(new ArrayList<>(items))).put("total", total)
          .put("limit", limit).put("offset", offset);
    }
  }

  public Future<Page> listSites(int limit, int offset, String q) {
    return page("sites", limit, offset, q, null, StoredRows::siteJson);
  }

  public Future<Page> listUpstreams(int limit, int offset, String q) {
    return page("upstreams", limit, offset, q, null, StoredRows::upstreamJson);
  }

  public Future<Page> listRoutes(int limit, int offset, String q, String siteRef) {
    if (siteRef == null) {
      return page("routes", limit, offset, q, null, StoredRows::routeJson);
    }
    return pool.withConnection(conn -> resolve(conn, "sites", "site", siteRef)
        .compose(siteId -> page("routes", limit, offset, q, siteId, StoredRows::routeJson)));
  }

  private Future<Page> page(String table, int limit, int offset, String q, String siteId, Function<Row, JsonObject> f) {
    String where = " WHERE ($1::text IS NULL OR name ILIKE '%' || $1 || '%')"
        + (siteId != null ? " AND site_id = $4::uuid" : "");
    String select = switch (table) {
      case "routes" -> StoredRows.ROUTE_SELECT;
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
    return pool.withConnection(conn -> one(conn, "SELECT * FROM sites", "site", ref).map(StoredRows::siteJson));
  }

  public Future<JsonObject> getUpstream(String ref) {
    return pool.withConnection(conn -> one(conn, "SELECT * FROM upstreams", "upstream", ref).map(StoredRows::upstreamJson));
  }

  public Future<JsonObject> getRoute(String ref) {
    return pool.withConnection(conn -> one(conn, StoredRows.ROUTE_SELECT, "route", ref, "r")
        .map(StoredRows::routeJson));
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  /** The result of a change: the resource's new form and the config version that holds it. */
  public record Change<T>(T value, long version) {
  }

  /**
   * Runs {@code change} in one transaction holding the version lock; validates the resulting
   * configuration, bumps the version, records history and notifies the nodes. The history line
   * names what changed ({@link ChangeSummary}); {@code unchanged} is recorded when nothing did.
   */
  public <T> Future<Change<T>> write(String actor, String unchanged, Function<SqlConnection, Future<T>> change) {
    return write(actor, null, unchanged, change);
  }

  /**
   * @param prefix put before the summary ({@code "rolled back to version 7: …"}), or {@code null}
   */
  <T> Future<Change<T>> write(String actor, String prefix, String unchanged,
      Function<SqlConnection, Future<T>> change) {
    return pool.withTransaction(conn -> conn.query("UPDATE config_state SET version = version + 1 WHERE id = 1 "
            + "RETURNING version").execute()
        .compose(rs -> {
          long version = rs.iterator().next().getLong(0);
          return loadDocument(conn).compose(before -> change.apply(conn)
              .compose(value -> loadDocument(conn).compose(this::validated).compose(doc -> {
                String summary = ChangeSummary.of(ConfigDiff.between(before, doc), unchanged);
                String action = prefix == null || summary.equals(unchanged) ? summary : prefix + ": " + summary;
                return conn.preparedQuery(
                        "INSERT INTO config_history (version, actor, action, document) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(version, actor, action, doc.toJson()))
                    .compose(x -> conn.preparedQuery("SELECT pg_notify($1, $2)")
                        .execute(Tuple.of(CHANNEL, Long.toString(version))))
                    .map(x -> new Change<>(value, version));
              })));
        }))
        .recover(ConfigStore::translate);
  }

  /** Runs the validation on a worker: it compiles the whole configuration, plugin code included. */
  private Future<ConfigDocument> validated(ConfigDocument doc) {
    return vertx.executeBlocking(() -> {
      validation.check(doc);
      return doc;
    }, false);
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
    return write(actor, "created site " + s.name(), conn -> checkSiteConflicts(conn, s, null)
        .compose(v -> conn.preparedQuery("INSERT INTO sites (name, spec) VALUES ($1, $2) RETURNING id")
            .execute(Tuple.of(s.name(), s.spec())))
        .compose(rs -> {
          String id = rs.iterator().next().getUUID(0).toString();
          return insertHosts(conn, id, s).compose(v -> one(conn, "SELECT * FROM sites", "site", id)).map(StoredRows::siteJson);
        }));
  }

  public Future<Change<JsonObject>> replaceSite(String ref, Site s, String actor) {
    return write(actor, "saved site " + s.name() + " unchanged", conn -> resolve(conn, "sites", "site", ref)
        .compose(id -> checkSiteConflicts(conn, s, id)
            .compose(v -> conn.preparedQuery("UPDATE sites SET name = $2, spec = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id), s.name(), s.spec())))
            .compose(v -> conn.preparedQuery("DELETE FROM site_hosts WHERE site_id = $1").execute(Tuple.of(UUID.fromString(id))))
            .compose(v -> insertHosts(conn, id, s))
            .compose(v -> one(conn, "SELECT * FROM sites", "site", id)).map(StoredRows::siteJson)));
  }

  public Future<Change<JsonObject>> deleteSite(String ref, String actor) {
    return write(actor, "deleted site " + ref, conn -> one(conn, "SELECT * FROM sites", "site", ref)
        .compose(row -> conn.preparedQuery("DELETE FROM sites WHERE id = $1").execute(Tuple.of(row.getUUID("id")))
            .map(v -> StoredRows.siteJson(row))));
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
            List<FieldError> errors = new ArrayList<>();
            for (Row r : rs) {
              errors.add(new FieldError("hosts", "host '" + r.getString(0)
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
    return write(actor, "created upstream " + u.name(), conn -> checkName(conn, "upstreams", "upstream", u.name(), null)
        .compose(v -> conn.preparedQuery("INSERT INTO upstreams (name, spec) VALUES ($1, $2) RETURNING id")
            .execute(Tuple.of(u.name(), u.spec())))
        .compose(rs -> one(conn, "SELECT * FROM upstreams", "upstream", rs.iterator().next().getUUID(0).toString()))
        .map(StoredRows::upstreamJson));
  }

  public Future<Change<JsonObject>> replaceUpstream(String ref, Upstream u, String actor) {
    return write(actor, "saved upstream " + u.name() + " unchanged", conn -> resolve(conn, "upstreams", "upstream", ref)
        .compose(id -> checkName(conn, "upstreams", "upstream", u.name(), id)
            .compose(v -> conn.preparedQuery("UPDATE upstreams SET name = $2, spec = $3, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id), u.name(), u.spec())))
            .compose(v -> one(conn, "SELECT * FROM upstreams", "upstream", id)).map(StoredRows::upstreamJson)));
  }

  public Future<Change<JsonObject>> deleteUpstream(String ref, String actor) {
    return write(actor, "deleted upstream " + ref, conn -> one(conn, "SELECT * FROM upstreams", "upstream", ref)
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
            .map(v -> StoredRows.upstreamJson(row))));
  }

  public Future<Change<JsonObject>> createRoute(RouteInput in, String actor) {
    return write(actor, "created route " + in.name(), conn -> checkName(conn, "routes", "route", in.name(), null)
        .compose(v -> references(conn, in))
        .compose(refs -> conn.preparedQuery("INSERT INTO routes (name, site_id, upstream_id, spec) VALUES ($1, $2, $3, $4) "
            + "RETURNING id").execute(Tuple.of(in.name(), UUID.fromString(refs[0]), UUID.fromString(refs[1]), in.spec())))
        .compose(rs -> getRoute(conn, rs.iterator().next().getUUID(0).toString())));
  }

  public Future<Change<JsonObject>> replaceRoute(String ref, RouteInput in, String actor) {
    return write(actor, "saved route " + in.name() + " unchanged", conn -> resolve(conn, "routes", "route", ref)
        .compose(id -> checkName(conn, "routes", "route", in.name(), id)
            .compose(v -> references(conn, in))
            .compose(refs -> conn.preparedQuery("UPDATE routes SET name = $2, site_id = $3, upstream_id = $4, spec = $5, "
                + "updated_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(id), in.name(),
                UUID.fromString(refs[0]), UUID.fromString(refs[1]), in.spec())))
            .compose(v -> getRoute(conn, id))));
  }

  public Future<Change<JsonObject>> deleteRoute(String ref, String actor) {
    return write(actor, "deleted route " + ref, conn -> getRoute(conn, ref)
        .compose(json -> conn.preparedQuery("DELETE FROM routes WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(json.getString("id")))).map(v -> json)));
  }

  private Future<JsonObject> getRoute(SqlConnection conn, String ref) {
    return one(conn, StoredRows.ROUTE_SELECT, "route", ref, "r").map(StoredRows::routeJson);
  }

  /** @return [siteId, upstreamId]; 409 when either is missing */
  private Future<String[]> references(SqlConnection conn, RouteInput in) {
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

  /** Switches a plugin on or off for every node. */
  public Future<Change<Boolean>> setPluginEnabled(String pluginId, boolean enabled, String actor) {
    String unchanged = "plugin " + pluginId + " was " + (enabled ? "enabled" : "disabled") + " already";
    return write(actor, unchanged, conn -> conn.preparedQuery(
            "INSERT INTO plugin_settings (plugin_id, enabled) VALUES ($1, $2) "
                + "ON CONFLICT (plugin_id) DO UPDATE SET enabled = $2, updated_at = now()")
        .execute(Tuple.of(pluginId, enabled)).map(v -> enabled));
  }
}
