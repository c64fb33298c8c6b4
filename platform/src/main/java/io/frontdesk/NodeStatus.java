package io.frontdesk;

import io.frontdesk.accesslog.AccessLogWriter;
import io.frontdesk.accesslog.LiveStats;
import io.frontdesk.accesslog.LogSinks;
import io.frontdesk.proxy.ProxyServer;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.routing.SnapshotHolder;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a node says about itself: the full state for {@code /api/v1/status}, and the short form
 * each node's heartbeat carries to the others ({@code store.NodeRegistry}).
 */
final class NodeStatus {

  private final String nodeId;
  private final String version;
  private final Instant startedAt;
  private final String transport;
  private final SnapshotHolder snapshots;
  private final ConfigReloader reloader;
  private final ProxyServer proxy;
  private final AccessLogWriter accessLog;
  private final LogSinks logSinks;
  private final LiveStats liveStats;

  /** @param accessLog {@code null} when the access log is off */
  NodeStatus(String nodeId, String version, Instant startedAt, Vertx vertx, SnapshotHolder snapshots,
      ConfigReloader reloader, ProxyServer proxy, AccessLogWriter accessLog, LogSinks logSinks, LiveStats liveStats) {
    this.nodeId = nodeId;
    this.version = version;
    this.startedAt = startedAt;
    this.transport = transport(vertx);
    this.snapshots = snapshots;
    this.reloader = reloader;
    this.proxy = proxy;
    this.accessLog = accessLog;
    this.logSinks = logSinks;
    this.liveStats = liveStats;
  }

  /** @return {@code epoll}, {@code io_uring} or {@code nio} */
  static String transport(Vertx vertx) {
    if (!vertx.isNativeTransportEnabled()) {
      return "nio";
    }
    String name = ((VertxInternal) vertx).transport().getClass().getSimpleName().toLowerCase(Locale.ROOT);
    return name.contains("uring") ? "io_uring" : name.contains("epoll") ? "epoll" : name;
  }

  /** @return this node's state for {@code /api/v1/status} */
  JsonObject status() {
    ConfigSnapshot s = snapshots.current();
    return new JsonObject()
        .put("node", nodeId)
        .put("version", version)
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("configVersion", s.version())
        .put("databaseReachable", reloader.databaseReachable())
        .put("configError", reloader.lastError())
        .put("warnings", new JsonArray(new ArrayList<>(s.warnings())))
        .put("transport", transport)
        .put("accessLog", accessLog == null ? new JsonObject().put("enabled", false) : new JsonObject()
            .put("enabled", true).put("queueDepth", accessLog.queueDepth()).put("written", accessLog.written())
            .put("spooled", accessLog.spooled()).put("dropped", accessLog.dropped())
            .put("spoolBytes", accessLog.spoolBytes()).put("databaseReachable", accessLog.databaseUp())
            .put("deadLettered", accessLog.deadLettered())
            .put("lastError", accessLog.lastError()))
        .put("logSinks", logSinkStatus())
        .put("proxy", new JsonObject()
            .put("httpPort", proxy.httpPort())
            .put("httpsPort", proxy.httpsPort())
            .put("activeExchanges", proxy.activeExchanges())
            .put("totalExchanges", proxy.totalExchanges())
            .put("openConnections", proxy.openConnections()));
  }

  /** @return what the heartbeat tells the other nodes: ports, load and the last config error */
  JsonObject heartbeat() {
    List<JsonObject> last = liveStats.history(5);
    long requests = 0;
    for (JsonObject s : last) {
      requests += s.getJsonObject("all").getLong("requests");
    }
    return new JsonObject().put("httpPort", proxy.httpPort()).put("transport", transport)
        .put("activeExchanges", proxy.activeExchanges()).put("openConnections", proxy.openConnections())
        .put("requestsPerSecond", last.isEmpty() ? 0 : requests / last.size())
        .put("totalExchanges", proxy.totalExchanges()).put("configError", reloader.lastError());
  }

  private JsonObject logSinkStatus() {
    JsonObject out = new JsonObject();
    logSinks.counters().forEach((plugin, c) -> out.put(plugin, new JsonObject().put("delivered", c[0])
        .put("dropped", c[1]).put("failed", c[2])));
    return out;
  }
}
