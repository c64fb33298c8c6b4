package io.frontdesk.admin;

import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.pluginhost.PluginHost;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.store.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The admin server (default 127.0.0.1:9000): the JSON API under {@code /api/v1}, its OpenAPI
 * document, health endpoints and the dashboard.
 */
public final class AdminServer {

  /** A connection with nothing sent either way for this long is closed. */
  public static final java.time.Duration DEFAULT_IDLE_TIMEOUT = java.time.Duration.ofSeconds(60);

  private final Vertx vertx;
  private final String bindHost;
  private final int port;
  private final ConfigStore store;
  private final ConfigReloader reloader;
  private final PluginCatalog plugins;
  private final Supplier<JsonObject> status;
  private final String version;
  private final PluginHost host;
  private final PluginRegistry registry;
  private final Path uploads;
  private final Supplier<io.frontdesk.routing.ConfigSnapshot> snapshot;
  private final String nodeId;
  private TrafficApi traffic;
  private OverviewApi overview;
  private AuthApi auth;
  private io.frontdesk.auth.AdminAuth adminAuth;
  private java.time.Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  private String metricsToken = "";
  private io.frontdesk.proxy.TrustedProxies trustedProxies = io.frontdesk.proxy.TrustedProxies.none();
  private long trialTimeoutMillis = io.frontdesk.pluginhost.BindingTrials.DEFAULT_TIMEOUT_MILLIS;
  private io.frontdesk.pluginhost.BindingTrials trials;
  private TraceApi trace;
  private io.frontdesk.demo.Demo demo;
  private HttpServer server;

  public AdminServer(Vertx vertx, String bindHost, int port, ConfigStore store, ConfigReloader reloader,
      PluginRegistry registry, PluginHost host, Path uploads, Supplier<JsonObject> status, String version,
      Supplier<io.frontdesk.routing.ConfigSnapshot> snapshot, String nodeId) {
    this.vertx = vertx;
    this.bindHost = bindHost;
    this.port = port;
    this.store = store;
    this.reloader = reloader;
    this.plugins = registry;
    this.registry = registry;
    this.host = host;
    this.uploads = uploads;
    this.status = status;
    this.version = version;
    this.snapshot = snapshot;
    this.nodeId = nodeId;
  }

  /** Requires sign-in or a token for the API (without this call, tests of the API alone run open). */
  public AdminServer auth(io.frontdesk.auth.AdminAuth adminAuth) {
    this.auth = new AuthApi(adminAuth);
    this.adminAuth = adminAuth;
    return this;
  }

  /** Closes connections idle this long (default 60 s): idle ones must not pile up on the admin port. */
  public AdminServer idleTimeout(java.time.Duration idle) {
    this.idleTimeout = idle;
    return this;
  }

  /** How long a plugin's trial {@code create}, when a binding is saved, may take (default 5 s). */
  public AdminServer bindingTrialTimeout(long millis) {
    this.trialTimeoutMillis = millis;
    return this;
  }

  /**
   * Proxies in front of the admin server (the same {@code --trusted-proxies} as the proxy's): a
   * sign-in through one is throttled by the client it names in {@code X-Forwarded-For}.
   */
  public AdminServer trustedProxies(io.frontdesk.proxy.TrustedProxies proxies) {
    this.trustedProxies = proxies;
    return this;
  }

  /** {@code /metrics} then needs {@code Authorization: Bearer <token>}; empty leaves it open. */
  public AdminServer metricsToken(String token) {
    this.metricsToken = token == null ? "" : token;
    return this;
  }

  /** Adds {@code POST /api/v1/trace}: a request sent through this node's proxy, with its trace. */
  public AdminServer trace(io.frontdesk.proxy.TraceRegistry traces, String proxyBind,
      java.util.function.IntSupplier proxyPort) {
    this.trace = new TraceApi(vertx, traces, store, proxyBind, proxyPort, snapshot);
    return this;
  }

  /** Adds {@code /api/v1/demo}: create or remove the demo site and its built-in backends. */
  public AdminServer demo(io.frontdesk.demo.Demo demo) {
    this.demo = demo;
    return this;
  }

  /** Adds the access-log, live-traffic, node, overview and metrics endpoints. */
  public AdminServer traffic(io.frontdesk.accesslog.LogSearches searches, io.frontdesk.accesslog.LiveBus live,
      io.frontdesk.store.NodeRegistry nodes, io.frontdesk.metrics.Metrics metrics, int retentionDays) {
    this.traffic = new TrafficApi(vertx, searches, live, nodes, metrics, retentionDays);
    this.overview = new OverviewApi(traffic, nodes, snapshot, host);
    return this;
  }

  public Future<Integer> start() {
    Router root = Router.router(vertx);
    root.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
    root.get("/readyz").handler(ctx -> {
      boolean ready = reloader.appliedVersion() >= 0;
      ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "text/plain")
          .end(ready ? "ready\n" : "loading\n");
    });

    if (auth != null) {
      auth.trust(trustedProxies);
      root.route("/api/v1/*").handler(auth::guard); // before any body is read, uploads included
    }
    PluginApi pluginApi = new PluginApi(vertx, host, registry, store, reloader, uploads, this::actor);
    pluginApi.mountUpload(root);
    Router api = Router.router(vertx);
    api.route().handler(BodyHandler.create().setBodyLimit(1024 * 1024).setHandleFileUploads(false));
    if (auth != null) {
      auth.mount(api);
    }
    JsonObject openapi = OpenApiDocument.build(version);
    QueryParams.only(api.get("/openapi.json")).handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .end(openapi.encodePrettily()));
    QueryParams.only(api.get("/status")).handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(status.get().encode()));
    trials = new io.frontdesk.pluginhost.BindingTrials(vertx, trialTimeoutMillis);
    new ConfigApi(store, reloader, plugins, this::actor, trials).mount(api);
    pluginApi.mount(api);
    new PluginAdminRoutes(registry, this::actor).mount(api); // after the platform's own plugin endpoints
    new HealthApi(snapshot, nodeId).mount(api);
    if (trace != null) {
      trace.mount(api);
    }
    if (demo != null) {
      QueryParams.only(api.get("/demo")).handler(ctx -> ConfigApi.answer(ctx, demo.describe()));
      api.post("/demo").handler(ctx -> ConfigApi.answer(ctx, demo.create(actor(ctx))));
      api.delete("/demo").handler(ctx -> demo.remove(actor(ctx)).onSuccess(v -> ctx.response().setStatusCode(204).end())
          .onFailure(t -> ApiErrors.send(ctx, t)));
    }
    if (traffic != null) {
      traffic.mount(api);
      overview.mount(api);
      if (!metricsToken.isEmpty()) {
        root.get("/metrics").handler(new MetricsGuard(metricsToken)); // before the scrape itself
      }
      traffic.mountMetrics(root);
    }
    QueryParams.requireDeclared(api);
    api.route().last().handler(ctx -> ApiErrors.reply(ctx, 404, "not_found",
        "no API endpoint " + ctx.request().method() + " " + ctx.request().path(), null));
    api.route().failureHandler(AdminServer::failure);
    root.route("/api/v1/*").subRouter(api);
    // The dashboard: static files from the jar, same origin as the API it calls.
    root.route().handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
          .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "same-origin");
      ctx.next();
    });
    // WebJars (uPlot, swagger-ui) from the classpath; their paths carry the version, so they may be cached.
    root.route("/webjars/*").handler(io.vertx.ext.web.handler.StaticHandler.create("META-INF/resources/webjars")
        .setCachingEnabled(true).setMaxAgeSeconds(7 * 24 * 3600).setDirectoryListing(false));
    root.route().handler(io.vertx.ext.web.handler.StaticHandler.create("frontdesk/dashboard")
        .setCachingEnabled(false).setIndexPage("index.html"));

    server = vertx.createHttpServer(new HttpServerOptions().setHost(bindHost).setPort(port)
        .setCompressionSupported(true)
        .setIdleTimeout((int) idleTimeout.toMillis()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));
    if (adminAuth != null) {
      adminAuth.startCleanup();
    }
    return server.requestHandler(root).listen().map(HttpServer::actualPort);
  }

  private static void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t == null) {
      int code = ctx.statusCode();
      ApiErrors.reply(ctx, code, code == 413 ? "too_large" : code == 405 ? "method_not_allowed" : "error",
          code == 413 ? "the request body is too large" : code == 405 ? "method not allowed"
              : "the request failed", null);
      return;
    }
    ApiErrors.send(ctx, t);
  }

  private String actor(RoutingContext ctx) {
    return AuthApi.actor(ctx);
  }

  public Future<Void> stop() {
    if (adminAuth != null) {
      adminAuth.close();
    }
    if (trials != null) {
      trials.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
