package io.frontdesk.store;

import static io.frontdesk.store.References.resolve;
import static io.frontdesk.store.StoredRows.BINDING_SELECT;
import static io.frontdesk.store.StoredRows.map;

import io.frontdesk.store.ConfigStore.Change;
import io.frontdesk.store.ConfigStore.Page;
import io.frontdesk.validation.ConflictException;
import io.frontdesk.validation.InvalidConfigException;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * The plugin bindings in PostgreSQL: listing, and changes (each a {@link ConfigStore#write}, so a
 * binding change is validated, versioned and notified like any other). A binding's config was
 * checked against its plugin before it gets here ({@code input.ConfigInputs}).
 */
public final class BindingStore {

  private final ConfigStore store;
  private final Pool pool;

  BindingStore(ConfigStore store) {
    this.store = store;
    this.pool = store.pool();
  }

  public Future<Page> list(String pluginId, int limit, int offset) {
    String where = pluginId == null ? "" : " WHERE b.plugin_id = $3";
    String sql = BINDING_SELECT + where + " ORDER BY b.created_at, b.id LIMIT $1 OFFSET $2";
    Tuple args = pluginId == null ? Tuple.of(limit, offset) : Tuple.of(limit, offset, pluginId);
    String count = "SELECT count(*) FROM plugin_bindings" + (pluginId == null ? "" : " WHERE plugin_id = $1");
    Tuple countArgs = pluginId == null ? Tuple.tuple() : Tuple.of(pluginId);
    return pool.withConnection(conn -> conn.preparedQuery(sql).execute(args)
        .compose(rs -> conn.preparedQuery(count).execute(countArgs)
            .map(c -> new Page(map(rs, StoredRows::bindingJson), c.iterator().next().getLong(0), limit, offset))));
  }

  public Future<JsonObject> get(String pluginId, String id) {
    if (!References.isId(id)) {
      return Future.failedFuture(new NotFoundException("binding '" + id + "' does not exist"));
    }
    return pool.withConnection(conn -> row(conn, pluginId, id).map(StoredRows::bindingJson));
  }

  private static Future<Row> row(SqlConnection conn, String pluginId, String id) {
    if (!References.isId(id)) {
      return Future.failedFuture(new NotFoundException("binding '" + id + "' does not exist"));
    }
    return conn.preparedQuery(BINDING_SELECT + " WHERE b.id = $1 AND b.plugin_id = $2")
        .execute(Tuple.of(UUID.fromString(id), pluginId)).compose(rs -> rs.size() == 0
            ? Future.failedFuture(new NotFoundException("binding '" + id + "' of plugin '" + pluginId + "' does not exist"))
            : Future.succeededFuture(rs.iterator().next()));
  }

  public Future<Change<JsonObject>> create(String pluginId, BindingInput in, String actor) {
    return store.write(actor, "bound " + pluginId + " (" + in.scope().json()
            + (in.targetRef() == null ? "" : " " + in.targetRef()) + ")",
        conn -> target(conn, in)
            .compose(t -> conn.preparedQuery("INSERT INTO plugin_bindings (plugin_id, scope, site_id, route_id, spec) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING id").execute(Tuple.of(pluginId, in.scope().json(), t[0], t[1],
                in.spec())))
            .compose(rs -> row(conn, pluginId, rs.iterator().next().getUUID(0).toString()))
            .map(StoredRows::bindingJson));
  }

  public Future<Change<JsonObject>> replace(String pluginId, String id, BindingInput in, String actor) {
    return store.write(actor, "saved a binding of " + pluginId + " unchanged", conn -> row(conn, pluginId, id)
        .compose(row -> target(conn, in))
        .compose(t -> conn.preparedQuery("UPDATE plugin_bindings SET scope = $2, site_id = $3, route_id = $4, spec = $5, "
            + "updated_at = now() WHERE id = $1").execute(Tuple.of(UUID.fromString(id), in.scope().json(), t[0], t[1],
            in.spec())))
        .compose(v -> row(conn, pluginId, id)).map(StoredRows::bindingJson));
  }

  public Future<Change<JsonObject>> delete(String pluginId, String id, String actor) {
    return store.write(actor, "unbound " + pluginId, conn -> row(conn, pluginId, id)
        .compose(row -> conn.preparedQuery("DELETE FROM plugin_bindings WHERE id = $1").execute(Tuple.of(row.getUUID("id")))
            .map(v -> StoredRows.bindingJson(row))));
  }

  /** Sets the priorities of several bindings at once (the dashboard's drag-and-drop reorder). */
  public Future<Change<Integer>> reorder(List<String> ids, List<Integer> priorities, String actor) {
    return store.write(actor, "reordered " + ids.size() + " plugin bindings (no priority changed)", conn -> {
      Future<Integer> f = Future.succeededFuture(0);
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        int prio = priorities.get(i);
        if (!References.isId(id)) {
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

  /** @return [siteId, routeId] as UUIDs (either may be null) */
  private static Future<UUID[]> target(SqlConnection conn, BindingInput in) {
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
}
