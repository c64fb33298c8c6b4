package io.frontdesk.store;

import static io.frontdesk.store.StoredRows.json;
import static io.frontdesk.store.StoredRows.map;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.frontdesk.store.ConfigStore.Change;
import io.frontdesk.store.ConfigStore.Page;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The history of the configuration: who changed what in which version, the whole document of
 * each version, and rollback (the document of an earlier version written as a new version).
 */
public final class ConfigHistory {

  private final ConfigStore store;
  private final Pool pool;

  ConfigHistory(ConfigStore store) {
    this.store = store;
    this.pool = store.pool();
  }

  public Future<Page> list(int limit, int offset) {
    return pool.withConnection(conn -> conn.preparedQuery("SELECT version, changed_at, actor, action FROM config_history "
            + "ORDER BY version DESC LIMIT $1 OFFSET $2").execute(Tuple.of(limit, offset))
        .compose(rs -> conn.query("SELECT count(*) FROM config_history").execute()
            .map(c -> new Page(map(rs, r -> new JsonObject().put("version", r.getLong("version"))
                .put("changedAt", r.getOffsetDateTime("changed_at").toInstant().toString())
                .put("actor", r.getString("actor")).put("action", r.getString("action"))),
                c.iterator().next().getLong(0), limit, offset))));
  }

  /** @return the configuration document stored for {@code version} */
  public Future<JsonObject> document(long version) {
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

  /**
   * @return what {@code version} changed against the version before it (an empty configuration
   *     for the first), keyed by names: {@code {version, previousVersion, changedAt, actor, action,
   *     changes: [{path, change, type, object, id, field, before, after}]}}
   */
  public Future<JsonObject> diff(long version) {
    return document(version).compose(entry -> pool.preparedQuery("SELECT version, document FROM config_history "
            + "WHERE version < $1 ORDER BY version DESC LIMIT 1").execute(Tuple.of(version))
        .map(rs -> {
          Row prev = rs.size() == 0 ? null : rs.iterator().next();
          ConfigDocument before = prev == null ? ConfigDocument.empty()
              : ConfigDocument.fromJson(json(prev, "document"));
          ConfigDocument after = ConfigDocument.fromJson(entry.getJsonObject("document"));
          JsonArray changes = new JsonArray();
          ConfigDiff.between(before, after).forEach(c -> changes.add(c.toJson()));
          entry.remove("document");
          return entry.put("previousVersion", prev == null ? null : prev.getLong("version")).put("changes", changes);
        }));
  }

  /**
   * Restores the whole configuration of an earlier version, as a new version. Objects keep their
   * ids and creation times; those the rollback does not change keep their update times too.
   */
  public Future<Change<Long>> rollback(long toVersion, String actor) {
    return document(toVersion).compose(h -> {
      ConfigDocument target = ConfigDocument.fromJson(h.getJsonObject("document"));
      String action = "roll back to version " + toVersion;
      return store.write(actor, action, action + " (nothing to change)",
          conn -> replaceAll(conn, target).map(v -> toVersion));
    });
  }

  /** Creation and update times of every config row, by id. */
  private record Stamps(Map<UUID, OffsetDateTime> created, Map<UUID, OffsetDateTime> updated) {
    OffsetDateTime created(String id) {
      return created.get(UUID.fromString(id));
    }

    /** @return the old update time when the rollback leaves the object as it is, else null (now) */
    OffsetDateTime updated(String id, Set<String> changed) {
      return changed.contains(id) ? null : updated.get(UUID.fromString(id));
    }
  }

  private static Future<Stamps> stamps(SqlConnection conn) {
    return conn.query("SELECT id, created_at, updated_at FROM sites UNION ALL SELECT id, created_at, updated_at "
        + "FROM upstreams UNION ALL SELECT id, created_at, updated_at FROM routes UNION ALL SELECT id, created_at, "
        + "updated_at FROM plugin_bindings").execute().map(rs -> {
          Map<UUID, OffsetDateTime> created = new HashMap<>();
          Map<UUID, OffsetDateTime> updated = new HashMap<>();
          for (Row r : rs) {
            created.put(r.getUUID(0), r.getOffsetDateTime(1));
            updated.put(r.getUUID(0), r.getOffsetDateTime(2));
          }
          return new Stamps(created, updated);
        });
  }

  private static Future<Void> replaceAll(SqlConnection conn, ConfigDocument doc) {
    return ConfigStore.loadDocument(conn).compose(current -> stamps(conn).compose(stamps ->
        replaceAll(conn, doc, stamps, ConfigDiff.changedIds(current, doc))));
  }

  private static Future<Void> replaceAll(SqlConnection conn, ConfigDocument doc, Stamps st, Set<String> changed) {
    Future<Void> f = conn.query("DELETE FROM plugin_bindings").execute()
        .compose(v -> conn.query("DELETE FROM plugin_settings").execute())
        .compose(v -> conn.query("DELETE FROM routes").execute())
        .compose(v -> conn.query("DELETE FROM site_hosts").execute())
        .compose(v -> conn.query("DELETE FROM sites").execute())
        .compose(v -> conn.query("DELETE FROM upstreams").execute()).mapEmpty();
    // created_at: the row's own where it existed (a rolled-back object was not created anew), else now.
    for (Site s : doc.sites()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO sites (id, name, spec, created_at, updated_at) "
              + "VALUES ($1, $2, $3, coalesce($4, now()), coalesce($5, now()))")
          .execute(Tuple.of(UUID.fromString(s.id()), s.name(), s.spec(), st.created(s.id()),
              st.updated(s.id(), changed)))
          .compose(x -> conn.preparedQuery("INSERT INTO site_hosts (host, site_id) SELECT unnest($1::text[]), $2")
              .execute(Tuple.of(s.hosts().toArray(String[]::new), UUID.fromString(s.id())))).mapEmpty());
    }
    for (Upstream u : doc.upstreams()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO upstreams (id, name, spec, created_at, updated_at) "
              + "VALUES ($1, $2, $3, coalesce($4, now()), coalesce($5, now()))")
          .execute(Tuple.of(UUID.fromString(u.id()), u.name(), u.spec(), st.created(u.id()),
              st.updated(u.id(), changed)))
          .mapEmpty());
    }
    for (Route r : doc.routes()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO routes (id, name, site_id, upstream_id, spec, created_at, "
              + "updated_at) VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), coalesce($7, now()))")
          .execute(Tuple.of(UUID.fromString(r.id()), r.name(), UUID.fromString(r.siteId()), UUID.fromString(r.upstreamId()),
              r.spec(), st.created(r.id()), st.updated(r.id(), changed))).mapEmpty());
    }
    for (String p : doc.disabledPlugins()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO plugin_settings (plugin_id, enabled) VALUES ($1, false)")
          .execute(Tuple.of(p)).mapEmpty());
    }
    for (PluginBinding b : doc.bindings()) {
      f = f.compose(v -> conn.preparedQuery("INSERT INTO plugin_bindings (id, plugin_id, scope, site_id, route_id, "
          + "spec, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()), coalesce($8, now()))")
          .execute(Tuple.of(
          UUID.fromString(b.id()), b.pluginId(), b.scope().json(),
          b.siteId() == null ? null : UUID.fromString(b.siteId()), b.routeId() == null ? null : UUID.fromString(b.routeId()),
          b.spec(), st.created(b.id()), st.updated(b.id(), changed))).mapEmpty());
    }
    return f;
  }
}
