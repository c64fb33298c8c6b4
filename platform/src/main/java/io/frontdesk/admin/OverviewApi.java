package io.frontdesk.admin;

import io.frontdesk.accesslog.TrafficTotals;
import io.frontdesk.pluginhost.PluginHost;
import io.frontdesk.pluginhost.PluginInfo;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.store.NodeRegistry;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.frontdesk.upstream.TargetStatus;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/overview}: what the dashboard's landing page shows — traffic, 5xx and p99 over
 * a window (the access log's rollups, every node), the targets this node sees down, plugins that
 * failed to load, nodes behind the current configuration, and certificates (none until TLS
 * management exists).
 */
final class OverviewApi {

  private static final Duration MAX_WINDOW = Duration.ofDays(90);

  private final TrafficApi traffic;
  private final NodeRegistry nodes;
  private final Supplier<ConfigSnapshot> snapshot;
  private final PluginHost plugins;

  OverviewApi(TrafficApi traffic, NodeRegistry nodes, Supplier<ConfigSnapshot> snapshot, PluginHost plugins) {
    this.traffic = traffic;
    this.nodes = nodes;
    this.snapshot = snapshot;
    this.plugins = plugins;
  }

  void mount(Router api) {
    QueryParams.only(api.get("/overview"), "window").handler(this::overview);
  }

  private void overview(RoutingContext ctx) {
    String window = ctx.request().getParam("window", "1h").trim();
    Duration length = window(window);
    JsonArray down = targetsDown();
    JsonArray failed = pluginsFailed();
    traffic.search(ctx, sql -> TrafficTotals.last(sql, length).compose(totals -> nodes.list().map(all ->
        new JsonObject().put("window", window).mergeIn(totals).put("targetsDown", down).put("pluginsFailed", failed)
            .put("nodesBehind", behind(all)).put("certificates", new JsonArray()))));
  }

  /** An age such as 15m, 1h, 24h, 7d: a minute at least, 90 days at most. */
  static Duration window(String s) {
    if (s.matches("^[0-9]{1,7}[smhd]$")) {
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      Duration d = switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      if (d.compareTo(Duration.ofMinutes(1)) >= 0 && d.compareTo(MAX_WINDOW) <= 0) {
        return d;
      }
    }
    throw new InvalidConfigException("window", "must be an age from 1m to 90d, such as 15m, 1h, 24h or 7d");
  }

  private JsonArray targetsDown() {
    long now = System.nanoTime();
    JsonArray out = new JsonArray();
    snapshot.get().upstreams().values().stream().sorted(Comparator.comparing(u -> u.config().name()))
        .forEach((CompiledUpstream u) -> {
          for (CompiledTarget t : u.targets()) {
            TargetStatus s = t.status(now);
            if (s.down()) {
              out.add(new JsonObject().put("upstream", u.config().name()).put("target", t.address())
                  .mergeIn(s.toJson()));
            }
          }
        });
    return out;
  }

  private JsonArray pluginsFailed() {
    JsonArray out = new JsonArray();
    for (PluginInfo p : plugins.list()) {
      if ("FAILED".equals(p.state())) {
        out.add(new JsonObject().put("id", p.id() != null ? p.id() : p.jar()).put("reason", p.reason()));
      }
    }
    return out;
  }

  /** Alive nodes serving an older configuration version than the current one. */
  private static JsonArray behind(JsonArray all) {
    JsonArray out = new JsonArray();
    for (Object o : all) {
      JsonObject n = (JsonObject) o;
      if (n.getBoolean("alive") && n.getLong("configVersion") < n.getLong("currentVersion")) {
        out.add(new JsonObject().put("node", n.getString("id")).put("appliedVersion", n.getLong("configVersion"))
            .put("currentVersion", n.getLong("currentVersion")));
      }
    }
    return out;
  }
}
