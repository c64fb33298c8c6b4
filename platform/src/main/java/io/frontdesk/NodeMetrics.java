package io.frontdesk;

import io.frontdesk.accesslog.AccessLogWriter;
import io.frontdesk.accesslog.LogSinks;
import io.frontdesk.metrics.Metrics;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.proxy.ProxyServer;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.routing.SnapshotHolder;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * Registers a node's meters with {@link Metrics}: event loops, upstreams, the config version,
 * exchanges and connections, the access log, and each plugin's filter and log-sink counters (as
 * plugins appear). Only the node knows all of these parts, so the registering happens here.
 */
final class NodeMetrics {

  private NodeMetrics() {
  }

  /** @param accessLog {@code null} when the access log is off */
  static void register(Metrics metrics, Vertx vertx, SnapshotHolder snapshots, ConfigReloader reloader,
      ProxyServer proxy, AccessLogWriter accessLog, PluginRegistry plugins, LogSinks logSinks) {
    metrics.eventLoops(((VertxInternal) vertx).nettyEventLoopGroup());
    snapshots.onSwap(metrics::upstreams);
    metrics.upstreams(snapshots.current());
    metrics.gauge("frontdesk.config.version", "Configuration version this node serves", reloader,
        ConfigReloader::appliedVersion);
    metrics.gauge("frontdesk.exchanges.active", "Requests in flight", proxy, ProxyServer::activeExchanges);
    metrics.counter("frontdesk.exchanges", "Requests started", proxy, ProxyServer::totalExchanges);
    metrics.gauge("frontdesk.connections.open", "Open client connections", proxy, ProxyServer::openConnections);
    if (accessLog != null) {
      accessLog(metrics, accessLog);
    }
    // Plugins come and go: their counters are registered as they appear.
    Runnable pluginMeters = () -> plugins(metrics, plugins, logSinks);
    snapshots.onSwap(s -> pluginMeters.run());
    pluginMeters.run();
  }

  private static void accessLog(Metrics metrics, AccessLogWriter accessLog) {
    metrics.gauge("frontdesk.access.log.queue.depth", "Access-log records waiting in memory", accessLog,
        AccessLogWriter::queueDepth);
    metrics.counter("frontdesk.access.log.written", "Access-log records stored in PostgreSQL", accessLog,
        AccessLogWriter::written);
    metrics.counter("frontdesk.access.log.spooled", "Access-log records spooled to disk (database unreachable)",
        accessLog, AccessLogWriter::spooled);
    metrics.counter("frontdesk.access.log.dropped", "Access-log records lost (queue or disk full)", accessLog,
        AccessLogWriter::dropped);
    metrics.counter("frontdesk.access.log.dead.lettered", "Access-log records PostgreSQL refused (kept in "
        + "access-log-dead-letters.jsonl)", accessLog, AccessLogWriter::deadLettered);
    metrics.gauge("frontdesk.access.log.spool.bytes", "Bytes waiting in the access-log spool", accessLog,
        AccessLogWriter::spoolBytes);
  }

  private static void plugins(Metrics metrics, PluginRegistry plugins, LogSinks logSinks) {
    for (String id : plugins.pluginIds()) {
      var st = plugins.stats(id);
      metrics.tagged(true, "frontdesk.plugin.calls", "Filter calls", st, x -> x.calls(), "plugin", id);
      metrics.tagged(true, "frontdesk.plugin.errors", "Filter failures (500 or skipped)", st, x -> x.errors(),
          "plugin", id);
      metrics.tagged(true, "frontdesk.plugin.timeouts", "Filter timeouts", st, x -> x.timeouts(), "plugin", id);
      metrics.tagged(true, "frontdesk.plugin.stalls", "Filter calls that held their event loop past --filter-stall",
          st, x -> x.stalls(), "plugin", id);
      metrics.tagged(true, "frontdesk.log.sink.delivered", "Records a log sink took", logSinks,
          s -> s.counters().getOrDefault(id, new long[3])[0], "plugin", id);
      metrics.tagged(true, "frontdesk.log.sink.dropped", "Records a log sink lost (queue full, buffer full or refused)",
          logSinks, s -> s.counters().getOrDefault(id, new long[3])[1], "plugin", id);
    }
  }
}
