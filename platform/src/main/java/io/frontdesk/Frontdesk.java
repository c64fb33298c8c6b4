package io.frontdesk;

import io.frontdesk.accesslog.AccessLogStore;
import io.frontdesk.accesslog.LogCopier;
import io.frontdesk.accesslog.AccessLogWriter;
import io.frontdesk.accesslog.ExchangeLog;
import io.frontdesk.accesslog.LiveBus;
import io.frontdesk.accesslog.LiveStats;
import io.frontdesk.accesslog.LogSinks;
import io.frontdesk.admin.AdminServer;
import io.frontdesk.config.ConfigDocument;
import io.frontdesk.db.DataDirectory;
import io.frontdesk.db.DatabaseConfig;
import io.frontdesk.db.EmbeddedDatabase;
import io.frontdesk.db.Migrations;
import io.frontdesk.metrics.Metrics;
import io.frontdesk.net.Cidr;
import io.frontdesk.pluginhost.FilterInstances;
import io.frontdesk.pluginhost.PluginHost;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.proxy.Http2Limits;
import io.frontdesk.proxy.ProxyServer;
import io.frontdesk.proxy.ProxySettings;
import io.frontdesk.proxy.TraceRegistry;
import io.frontdesk.proxy.TrustedProxies;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.routing.SnapshotCompiler;
import io.frontdesk.routing.SnapshotHolder;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.store.DatabaseCatchUp;
import io.frontdesk.store.LastConfigFile;
import io.frontdesk.store.NodeRegistry;
import io.frontdesk.upstream.HealthChecks;
import io.frontdesk.upstream.UpstreamStates;
import io.frontdesk.upstream.WeightedRoundRobin;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Frontdesk node: wires the parts together in start order and takes them down in
 * reverse. The only place that knows every part.
 */
public final class Frontdesk implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Frontdesk.class);

  private final Settings settings;
  private final List<AutoCloseable> closeOnStop = new ArrayList<>();
  private final Instant startedAt = Instant.now();
  private DataDirectory dataDir;
  private EmbeddedDatabase embedded;
  private DatabaseConfig database;
  private Vertx vertx;
  private Pool pool;
  private PluginRegistry plugins;
  private SnapshotHolder holder;
  private ConfigStore store;
  private ConfigReloader reloader;
  private ProxyServer proxy;
  private AdminServer admin;
  private io.frontdesk.demo.DemoBackends demoBackends;
  private io.frontdesk.demo.Demo demo;
  /** What this start made as the database's first (account, password file, API token). */
  private volatile FirstStart firstStart = FirstStart.NONE;
  private TraceRegistry traces;
  private PluginHost pluginHost;
  private Metrics metrics;
  private io.frontdesk.pluginhost.PluginBus pluginBus;
  private LiveStats liveStats;
  private LiveBus liveBus;
  private NodeRegistry nodes;
  private NodeStatus nodeStatus;
  private Pool logPool;
  private Vertx writerVertx;
  private Pool writerPool;
  private AccessLogStore accessLogStore;
  private AccessLogWriter accessLog;
  private UpstreamStates upstreamStates;
  private HealthChecks healthChecks;
  private LogSinks logSinks;
  private volatile boolean configLoaded;
  private boolean startedWithoutDatabase;
  private DatabaseCatchUp catchUp;
  /** How long start-up waits for an unreachable external database when a saved configuration exists. */
  static final Duration START_WITHOUT_DATABASE_AFTER = Duration.ofSeconds(5);
  private int adminPort;
  private boolean stopped;

  private Frontdesk(Settings settings) {
    this.settings = settings;
  }

  /**
   * Starts a node; on failure everything started so far is stopped again.
   *
   * @throws IllegalStateException with what went wrong and how to fix it
   */
  public static Frontdesk start(Settings settings) {
    Frontdesk f = new Frontdesk(settings);
    try {
      f.startAll();
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private void startAll() {
    dataDir = DataDirectory.open(settings.dataDir());
    if (settings.embeddedDatabase()) {
      embedded = EmbeddedDatabase.start(dataDir);
      database = embedded.config();
    } else {
      database = DatabaseConfig.parse(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }
    LastConfigFile lastConfig = new LastConfigFile(settings.dataDir().resolve("last-config.json"));
    // With a saved configuration an external database that is down delays the start only briefly.
    boolean canStartWithout = embedded == null && java.nio.file.Files.exists(lastConfig.path());
    try {
      Migrations.migrate(database, canStartWithout ? START_WITHOUT_DATABASE_AFTER : Migrations.WAIT);
    } catch (Migrations.UnreachableException e) {
      if (!canStartWithout) {
        throw new IllegalStateException("cannot prepare the database " + database.describe() + ": " + rootMessage(e), e);
      }
      startedWithoutDatabase = true;
      log.warn("the database {} is unreachable ({}); starting on the configuration saved in {}, "
          + "changes are refused until it is back", database.describe(), rootMessage(e), lastConfig.path());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot prepare the database " + database.describe() + ": " + rootMessage(e), e);
    }

    vertx = Vertx.vertx(new VertxOptions()
        .setPreferNativeTransport(true)
        .setEventLoopPoolSize(settings.eventLoops()));
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(8).setName("frontdesk-config"))
        .connectingTo(database.connectOptions())
        .using(vertx)
        .build();

    plugins = new PluginRegistry(vertx, settings.dataDir(), settings.nodeId(), settings.filterStallMillis());
    pluginBus = new io.frontdesk.pluginhost.PluginBus(vertx, pool, database.connectOptions());
    plugins.messages(pluginBus);
    pluginBus.start();
    plugins.watchdog().start();
    plugins.addBuiltInBalancer(new WeightedRoundRobin.Factory());
    upstreamStates = new UpstreamStates();
    SnapshotCompiler compiler = new SnapshotCompiler(plugins, upstreamStates, new FilterInstances(),
        settings.eventLoops(), settings.filterTimeoutMillis());
    ConfigSnapshot empty = compiler.compile(ConfigDocument.empty().withVersion(-1));
    holder = new SnapshotHolder(vertx, empty);
    store = new ConfigStore(vertx, pool, compiler::validate);
    reloader = new ConfigReloader(vertx, store, compiler, holder, database.connectOptions(), lastConfig,
        Duration.ofMillis(settings.reloadTimeoutMillis()));
    pluginHost = new PluginHost(settings.pluginsDir(), settings.dataDir(), plugins, () -> {
      if (configLoaded) {
        reloader.pluginsChanged();
      }
    }, holder::oldestPluginGeneration);
    try {
      pluginHost.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("could not read the plugins folder " + settings.pluginsDir() + ": "
          + rootMessage(e), e);
    }
    if (startedWithoutDatabase) {
      await(reloader.startFrom(lastConfig.load().orElseThrow()), "start from the saved configuration");
    } else {
      await(reloader.start(), "load the configuration");
    }
    configLoaded = true;
    reloader.pluginsChanged(); // anything that loaded between the first scan and now

    healthChecks = new HealthChecks(vertx);
    holder.onSwap(snap -> {
      healthChecks.apply(snap.upstreams().values());
      upstreamStates.retainOnly(snap.upstreams().keySet());
    });
    healthChecks.apply(holder.current().upstreams().values());
    metrics = new Metrics(settings.nodeId());
    liveStats = new LiveStats(settings.nodeId());
    logPool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4).setName("frontdesk-access-log"))
        .connectingTo(database.connectOptions())
        .using(vertx)
        .build();
    accessLogStore = new AccessLogStore(logPool);
    if (settings.accessLog()) {
      // The writer's pool has an event loop of its own: encoding a 5,000-row batch takes
      // milliseconds that must not stall a proxy loop.
      writerVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1)
          .setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
      writerPool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(2).setName("frontdesk-access-log-writer"))
          .connectingTo(database.connectOptions())
          .using(writerVertx)
          .build();
      accessLog = new AccessLogWriter(new AccessLogStore(writerPool), new LogCopier(database),
          settings.dataDir().resolve("access-log-spool"), settings.dataDir().resolve("access-log-dead-letters.jsonl"),
          new AccessLogWriter.Settings(settings.logQueue(), settings.logSpoolMaxBytes(), settings.logRetentionDays(),
              7, 90));
      try {
        accessLog.start();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot open the access-log spool: " + e.getMessage(), e);
      }
    }
    logSinks = new LogSinks(vertx, plugins);
    holder.onSwap(logSinks::applyLater);
    logSinks.apply(holder.current());
    traces = new TraceRegistry(vertx);
    List<Cidr> trusted = settings.trustedProxies().stream().map(Cidr::parse).toList();
    proxy = new ProxyServer(vertx, holder, new ProxySettings(settings.bind(), settings.httpPort(), settings.httpsPort(),
        settings.tlsCert(), settings.tlsKey(), new TrustedProxies(trusted), settings.keepAliveTimeoutMillis(),
        settings.upstreamIdleTimeoutMillis(), settings.upstreamConnections(), settings.tunnelIdleTimeoutMillis(),
        settings.redactQueryParams(),
        settings.nodeId(), settings.proxyLimits(),
        new Http2Limits(settings.h2MaxConcurrentStreams(), settings.h2MaxHeaderListSize())),
        new ExchangeLog(accessLog, liveStats, metrics, logSinks), traces);
    await(proxy.start(), "start the proxy on " + settings.bind() + ":" + settings.httpPort());

    liveBus = new LiveBus(vertx, liveStats, logPool, database.connectOptions(), settings.nodeId());
    liveBus.start();
    nodeStatus = new NodeStatus(settings.nodeId(), version(), startedAt, vertx, holder, reloader, proxy, accessLog,
        logSinks, liveStats);
    nodes = new NodeRegistry(vertx, pool, settings.nodeId(), version(), startedAt, reloader::appliedVersion,
        nodeStatus::heartbeat);
    nodes.start();
    holder.onSwap(s -> nodes.beat()); // so the nodes view shows a change reaching every node at once
    NodeMetrics.register(metrics, vertx, holder, reloader, proxy, accessLog, plugins, logSinks);
    metrics.extra(() -> io.frontdesk.pluginhost.PluginMetricsText.render(plugins));
    demoBackends = new io.frontdesk.demo.DemoBackends(vertx);
    demo = new io.frontdesk.demo.Demo(store, reloader, plugins, demoBackends);
    io.frontdesk.auth.AdminAuth adminAuth = new io.frontdesk.auth.AdminAuth(vertx, pool, settings.adminToken(),
        java.time.Duration.ofMillis(settings.adminSessionIdleMillis()), java.time.Duration.ofHours(12));
    if (!startedWithoutDatabase) {
      await(settings.demo() ? demo.create("demo").<Void>mapEmpty() : demo.resume(), "start the demo");
      firstStart = await(FirstStart.run(vertx, adminAuth, settings.adminPassword(), settings.dataDir()),
          "create the first admin account and API token");
    }
    admin = new AdminServer(vertx, settings.adminBind(), settings.adminPort(), store, reloader, plugins, pluginHost,
        uploadsDir(), this::status, version(), holder::current, settings.nodeId())
        .auth(adminAuth)
        .trace(traces, settings.bind(), this::httpPort)
        .demo(demo)
        .traffic(new io.frontdesk.accesslog.LogSearches(logPool, new io.frontdesk.accesslog.LogSearches.Limits(
            settings.logSearchTimeoutMillis(), settings.logSearchesPerCaller())), liveBus, nodes, metrics,
            settings.logRetentionDays())
        .idleTimeout(java.time.Duration.ofMillis(settings.adminIdleTimeoutMillis()))
        .metricsToken(settings.metricsToken())
        .trustedProxies(new TrustedProxies(settings.trustedProxies().stream().map(Cidr::parse).toList()));
    adminPort = await(admin.start(), "start the admin server on " + settings.adminBind() + ":" + settings.adminPort());
    if (startedWithoutDatabase) {
      catchUp = new DatabaseCatchUp(database, () -> {
        reloader.resume();
        await(demo.resume(), "resume the demo");
        firstStart = await(FirstStart.run(vertx, adminAuth, settings.adminPassword(), settings.dataDir()),
            "create the first admin account and API token");
      });
      catchUp.start();
    }
  }

  private java.nio.file.Path uploadsDir() {
    java.nio.file.Path p = settings.dataDir().resolve("uploads");
    try {
      io.frontdesk.db.OwnerOnly.directory(p);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + p + ": " + e.getMessage(), e);
    }
    return p;
  }

  private static <T> T await(io.vertx.core.Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + rootMessage(e.getCause()), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not " + what + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m;
  }

  /** @return this node's state for {@code /api/v1/status} */
  public JsonObject status() {
    return nodeStatus.status();
  }

  /** @return {@code epoll}, {@code io_uring} or {@code nio} */
  public String transport() {
    return NodeStatus.transport(vertx);
  }

  static String version() {
    String v = Frontdesk.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public Settings settings() {
    return settings;
  }

  public int httpPort() {
    return proxy.httpPort();
  }

  public int httpsPort() {
    return proxy.httpsPort();
  }

  /** @return the random password this start gave the first admin account (to show once), or null */
  public String generatedAdminPassword() {
    return firstStart.generatedAdminPassword();
  }

  /** @return the admin API token this start made as the database's first (to show once), or null */
  public String firstStartToken() {
    return firstStart.token();
  }

  /** @return the 0600 file holding the first admin account's random password (made by this start), or null */
  public java.nio.file.Path initialPasswordFile() {
    return firstStart.initialPasswordFile();
  }

  public int adminPort() {
    return adminPort;
  }

  public Vertx vertx() {
    return vertx;
  }

  public DatabaseConfig database() {
    return database;
  }

  public SnapshotHolder snapshots() {
    return holder;
  }

  public ConfigReloader reloader() {
    return reloader;
  }

  public ProxyServer proxy() {
    return proxy;
  }

  public PluginRegistry plugins() {
    return plugins;
  }

  public PluginHost pluginHost() {
    return pluginHost;
  }

  public AccessLogWriter accessLog() {
    return accessLog;
  }

  public AccessLogStore accessLogStore() {
    return accessLogStore;
  }

  public LiveBus liveBus() {
    return liveBus;
  }

  public Metrics metrics() {
    return metrics;
  }

  public NodeRegistry nodes() {
    return nodes;
  }

  public LogSinks logSinks() {
    return logSinks;
  }

  public TraceRegistry traces() {
    return traces;
  }

  /** Graceful stop: stop accepting, let exchanges in flight finish (bounded), stop the database. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (catchUp != null) {
      catchUp.close();
    }
    if (proxy != null) {
      quietly("stop the proxy", () -> proxy.stop(settings.drainTimeoutMillis()).toCompletionStage()
          .toCompletableFuture().get(settings.drainTimeoutMillis() + 10_000, TimeUnit.MILLISECONDS));
    }
    if (accessLog != null) {
      quietly("write the access log's last records", accessLog::close);
      quietly("close the access-log writer's pool", () -> writerPool.close().toCompletionStage()
          .toCompletableFuture().get(5, TimeUnit.SECONDS));
      quietly("stop the access-log writer's event loop", () -> writerVertx.close().toCompletionStage()
          .toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    if (liveBus != null) {
      quietly("stop live traffic", liveBus::close);
    }
    if (pluginBus != null) {
      quietly("stop plugin messages", () -> pluginBus.close().toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS));
    }
    if (nodes != null) {
      quietly("stop the node heartbeat", nodes::close);
    }
    if (admin != null) {
      quietly("stop the admin server", () -> admin.stop().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    if (holder != null) {
      quietly("release filters", holder::closeAll); // before their plugins' class loaders go
    }
    if (logSinks != null) {
      quietly("close the log sinks", logSinks::closeAll);
    }
    if (healthChecks != null) {
      quietly("stop the health checks", healthChecks::close);
    }
    if (pluginHost != null) {
      quietly("stop the plugins", pluginHost::close);
    }
    if (plugins != null) {
      quietly("stop the filter watchdog", plugins.watchdog()::close);
    }
    if (reloader != null) {
      quietly("stop the config listener", () -> reloader.stop().toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS));
    }
    for (int i = closeOnStop.size() - 1; i >= 0; i--) {
      AutoCloseable c = closeOnStop.get(i);
      quietly("stop " + c, c::close);
    }
    if (logPool != null) {
      quietly("close the access-log pool", () -> logPool.close().toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS));
    }
    if (pool != null) {
      quietly("close the database pool", () -> pool.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
    if (vertx != null) {
      quietly("stop Vert.x", () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    if (embedded != null) {
      quietly("stop the embedded PostgreSQL", embedded::close);
    }
    if (dataDir != null) {
      dataDir.close();
    }
  }

  /** Registers something to close at stop (before the database pool and Vert.x). */
  void closeOnStop(AutoCloseable c) {
    closeOnStop.add(c);
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      log.warn("could not {} cleanly: {}", what, rootMessage(e));
    }
  }
}
