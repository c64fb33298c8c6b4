package io.frontdesk.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node sharing the database says it is alive every few seconds, with the config version it
 * serves and its traffic, so an operator sees at once whether a change reached every node.
 */
public final class NodeRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
  static final long BEAT_MILLIS = 5_000;
  /** A node not heard from for this long is shown as gone; after an hour it is forgotten. */
  static final long ALIVE_MILLIS = 20_000;

  private final Vertx vertx;
  private final Pool pool;
  private final String nodeId;
  private final String version;
  private final Instant startedAt;
  private final Supplier<Long> configVersion;
  private final Supplier<JsonObject> info;
  private long timer = -1;

  public NodeRegistry(Vertx vertx, Pool pool, String nodeId, String version, Instant startedAt,
      Supplier<Long> configVersion, Supplier<JsonObject> info) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodeId = nodeId;
    this.version = version;
    this.startedAt = startedAt;
    this.configVersion = configVersion;
    this.info = info;
  }

  public void start() {
    beat();
    timer = vertx.setPeriodic(BEAT_MILLIS, id -> beat());
  }

  /** Reports now (also called when the node applies a new configuration version). */
  public void beat() {
    pool.preparedQuery("INSERT INTO nodes (id, started_at, last_seen, version, config_version, info) "
            + "VALUES ($1, $2, now(), $3, $4, $5) ON CONFLICT (id) DO UPDATE SET started_at = $2, last_seen = now(), "
            + "version = $3, config_version = $4, info = $5")
        .execute(Tuple.of(nodeId, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC), version, configVersion.get(),
            info.get()))
        .compose(x -> pool.query("DELETE FROM nodes WHERE last_seen < now() - interval '1 hour'").execute())
        .onFailure(t -> log.debug("node heartbeat failed: {}", t.getMessage()));
  }

  /** @return every node heard from in the last hour, with whether it is alive */
  public Future<JsonArray> list() {
    return pool.query("SELECT id, started_at, last_seen, version, config_version, info, "
        + "(SELECT version FROM config_state WHERE id = 1) AS current, "
        + "extract(epoch FROM now() - last_seen) * 1000 AS silent_ms FROM nodes ORDER BY id").execute().map(rs -> {
          JsonArray out = new JsonArray();
          for (Row r : rs) {
            long silent = (long) r.getDouble("silent_ms").doubleValue();
            long applied = r.getLong("config_version");
            out.add(new JsonObject().put("id", r.getString("id"))
                .put("startedAt", r.getOffsetDateTime("started_at").toInstant().toString())
                .put("lastSeen", r.getOffsetDateTime("last_seen").toInstant().toString())
                .put("alive", silent < ALIVE_MILLIS)
                .put("version", r.getString("version"))
                .put("configVersion", applied)
                .put("currentVersion", r.getLong("current"))
                .put("upToDate", applied >= r.getLong("current"))
                .put("uptimeSeconds", (System.currentTimeMillis()
                    - r.getOffsetDateTime("started_at").toInstant().toEpochMilli()) / 1000)
                .put("info", r.getValue("info") instanceof JsonObject j ? j : new JsonObject()));
          }
          return out;
        });
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
