package io.frontdesk.demo;

import io.frontdesk.input.ConfigInputs;
import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The demo: site {@code demo}, route {@code demo} and upstream {@code demo-backends} with the two
 * {@link DemoBackends}, made in one go and removed in one go. It is marked by those names (the
 * dashboard tags them "demo"). The backends run on this node; after a restart the upstream is
 * pointed at their new ports.
 */
public final class Demo {

  public static final String SITE = "demo";
  public static final String ROUTE = "demo";
  public static final String UPSTREAM = "demo-backends";
  private static final String ACTOR = "demo";

  private final ConfigStore store;
  private final ConfigReloader reloader;
  private final PluginCatalog plugins;
  private final DemoBackends backends;

  public Demo(ConfigStore store, ConfigReloader reloader, PluginCatalog plugins, DemoBackends backends) {
    this.store = store;
    this.reloader = reloader;
    this.plugins = plugins;
    this.backends = backends;
  }

  /** @return whether the demo's upstream exists */
  public Future<Boolean> exists() {
    return store.getUpstream(UPSTREAM).map(u -> true).recover(t -> t instanceof NotFoundException
        ? Future.succeededFuture(false) : Future.failedFuture(t));
  }

  /** Creates the demo (or repairs it: backends started, upstream on their ports). */
  public Future<JsonObject> create(String actor) {
    return backends.start().compose(ports -> exists().compose(present -> present ? repoint(ports, actor)
        : catchAllTaken().compose(taken -> {
          JsonArray hosts = new JsonArray().add(taken ? "demo.localhost" : "*");
          return store.createUpstream(ConfigInputs.upstream(upstreamJson(ports), plugins), actor)
              .compose(c -> store.createSite(ConfigInputs.site(new JsonObject().put("name", SITE).put("hosts", hosts)), actor))
              .compose(c -> store.createRoute(ConfigInputs.route(new JsonObject().put("name", ROUTE).put("site", SITE)
                  .put("upstream", UPSTREAM)), actor))
              .compose(c -> reloader.awaitVersion(c.version(), 5000));
        })).compose(x -> describe()));
  }

  /** At start-up: when the demo exists, its backends run here and the upstream points at them. */
  public Future<Void> resume() {
    return exists().compose(present -> !present ? Future.succeededFuture()
        : backends.start().compose(ports -> repoint(ports, ACTOR)).mapEmpty());
  }

  private Future<Void> repoint(List<Integer> ports, String actor) {
    return store.getUpstream(UPSTREAM).compose(u -> {
      JsonArray targets = u.getJsonArray("targets", new JsonArray());
      boolean same = targets.size() == ports.size();
      for (int i = 0; same && i < ports.size(); i++) {
        same = ports.get(i).equals(targets.getJsonObject(i).getInteger("port"));
      }
      if (same) {
        return Future.succeededFuture();
      }
      return store.replaceUpstream(UPSTREAM, ConfigInputs.upstream(upstreamJson(ports), plugins), actor)
          .compose(c -> reloader.awaitVersion(c.version(), 5000));
    });
  }

  /** Removes route, site and upstream (whichever exist) and stops the backends. */
  public Future<Void> remove(String actor) {
    return ignoreMissing(store.deleteRoute(ROUTE, actor).mapEmpty())
        .compose(x -> ignoreMissing(store.deleteSite(SITE, actor).mapEmpty()))
        .compose(x -> ignoreMissing(store.deleteUpstream(UPSTREAM, actor).mapEmpty()))
        .compose(x -> backends.stop());
  }

  public Future<JsonObject> describe() {
    return exists().map(present -> new JsonObject().put("exists", present).put("backendsRunning", backends.running())
        .put("ports", new JsonArray(backends.ports())).put("site", SITE).put("route", ROUTE).put("upstream", UPSTREAM));
  }

  private Future<Boolean> catchAllTaken() {
    return store.listSites(500, 0, null).map(p -> p.toJson().getJsonArray("items").stream()
        .anyMatch(s -> ((JsonObject) s).getJsonArray("hosts", new JsonArray()).contains("*")));
  }

  private static JsonObject upstreamJson(List<Integer> ports) {
    JsonArray targets = new JsonArray();
    for (int p : ports) {
      targets.add(new JsonObject().put("host", "127.0.0.1").put("port", p).put("weight", 1));
    }
    return new JsonObject().put("name", UPSTREAM).put("targets", targets)
        .put("healthCheck", new JsonObject().put("active", new JsonObject().put("type", "http").put("path", "/health")
            .put("intervalMs", 5000)));
  }

  private static Future<Void> ignoreMissing(Future<Void> f) {
    return f.recover(t -> t instanceof NotFoundException ? Future.succeededFuture() : Future.failedFuture(t));
  }
}
