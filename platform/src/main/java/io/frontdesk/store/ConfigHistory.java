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
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
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

  /** Restores the whole configuration of an earlier version, as a new version. */
  public Future<Change<Long>> rollback(long toVersion, String actor) {
    return document(toVersion).compose(h -> {
      ConfigDocument target = ConfigDocument.fromJson(h.getJsonObject("document"));
      return store.write(actor, "roll back to version " + toVersion, conn -> replaceAll(conn, target).map(v -> toVersion));
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
