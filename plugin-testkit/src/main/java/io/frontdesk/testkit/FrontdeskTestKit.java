package io.frontdesk.testkit;

import io.frontdesk.Frontdesk;
import io.frontdesk.Settings;
import io.frontdesk.SettingsParser;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.pluginhost.PluginRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a real Frontdesk in a JUnit test, so a plugin author can send requests through their filter:
 *
 * <pre>{@code
 * try (FrontdeskTestKit fd = FrontdeskTestKit.builder().plugin("hello", new HelloFilterFactory()).start()) {
 *   fd.routeToBackend("app", "/");
 *   fd.bind("hello", "route", "app", new JsonObject().put("greeting", "hi"));
 *   FrontdeskTestKit.Response r = fd.get("/x");
 *   assertEquals("hi", r.header("x-hello"));
 * }
 * }</pre>
 *
 * The node runs on 127.0.0.1 with free ports and its own database (an embedded PostgreSQL shared
 * by the test JVM, or {@code FRONTDESK_TESTKIT_DB_URL}'s server). Plugins come from the class path
 * ({@link Builder#plugin}) or as jars ({@link Builder#pluginJar}); a built-in echo backend answers
 * every request with JSON describing what it received ({@code method}, {@code uri}, {@code body},
 * and {@code headers} with lower-case names, repeated headers joined by ", ").
 */
public final class FrontdeskTestKit implements AutoCloseable {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres sharedPostgres;

  private final Frontdesk node;
  private final Path dataDir;
  private final String databaseUrl;
  private final Vertx backendVertx;
  private final HttpServer backend;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A response with its body as text. */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    /** @return the first value of a header (case-insensitive), or {@code null} */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    /** @return the body as JSON */
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** How to start the node. */
  public static final class Builder {
    private final Map<String, List<Object>> plugins = new LinkedHashMap<>();
    private final List<Path> jars = new ArrayList<>();
    private final List<String> flags = new ArrayList<>();
    private String dbUrl = System.getenv("FRONTDESK_TESTKIT_DB_URL");
    private String sharedDatabase;

    /**
     * Adds a plugin from the class path.
     *
     * @param extensions FilterFactory, LoadBalancerFactory and LogSinkFactory instances
     */
    public Builder plugin(String id, Object... extensions) {
      plugins.computeIfAbsent(id, k -> new ArrayList<>()).addAll(List.of(extensions));
      return this;
    }

    /** Puts a plugin jar into the node's plugins folder before it starts. */
    public Builder pluginJar(Path jar) {
      jars.add(jar);
      return this;
    }

    /** Adds a command-line flag, e.g. {@code flag("--trusted-proxies", "10.0.0.0/8")}. */
    public Builder flag(String name, String value) {
      flags.add(name);
      flags.add(value);
      return this;
    }

    /** Uses an existing PostgreSQL server (a database is created in it for this node). */
    public Builder database(String postgresUrl) {
      this.dbUrl = postgresUrl;
      return this;
    }

    /** Runs this node on the database of {@code other}: two nodes of one installation (config, messages). */
    public Builder sameDatabaseAs(FrontdeskTestKit other) {
      this.sharedDatabase = other.databaseUrl;
      return this;
    }

    public FrontdeskTestKit start() {
      return new FrontdeskTestKit(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private final String adminToken = "testkit-" + java.util.UUID.randomUUID();

  private FrontdeskTestKit(Builder b) {
    try {
      Path work = Files.createTempDirectory("frontdesk-testkit");
      dataDir = work.resolve("data");
      Path pluginsDir = Files.createDirectories(work.resolve("plugins"));
      for (Path jar : b.jars) {
        Files.copy(jar, pluginsDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      databaseUrl = b.sharedDatabase != null ? b.sharedDatabase : newDatabase(b.dbUrl);
      List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--http-port", "0", "--admin-port", "0",
          "--data-dir", work.resolve("data").toString(), "--plugins-dir", pluginsDir.toString(),
          "--db-url", databaseUrl, "--event-loops", "2", "--drain-timeout", "2s", "--admin-token", adminToken,
          "--node-id", "testkit-" + adminToken.substring(adminToken.length() - 12)));
      args.addAll(b.flags);
      Settings settings = SettingsParser.parse(args.toArray(String[]::new), Map.of());
      node = Frontdesk.start(settings);
      for (Map.Entry<String, List<Object>> p : b.plugins.entrySet()) {
        node.pluginHost().registerInProcess(p.getKey(), "test", extensions(p.getKey(), p.getValue()));
      }
      backendVertx = Vertx.vertx();
      backend = backendVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        req.headers().forEach(e -> {
          String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
          headers.put(k, headers.containsKey(k) ? headers.getString(k) + ", " + e.getValue() : e.getValue());
        });
        req.response().putHeader("content-type", "application/json").end(new JsonObject()
            .put("method", req.method().name()).put("uri", req.uri()).put("headers", headers)
            .put("body", body.toString()).encode());
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the test kit could not start: " + e.getMessage(), e);
    }
  }

  private static PluginRegistry.Extensions extensions(String id, List<Object> list) {
    FilterFactory filter = null;
    LogSinkFactory sink = null;
    List<LoadBalancerFactory> balancers = new ArrayList<>();
    for (Object o : list) {
      if (o instanceof FilterFactory f) {
        filter = f;
      } else if (o instanceof LogSinkFactory s) {
        sink = s;
      } else if (o instanceof LoadBalancerFactory lb) {
        balancers.add(lb);
      } else {
        throw new IllegalArgumentException("plugin " + id + ": " + o + " is not a Frontdesk extension");
      }
    }
    return new PluginRegistry.Extensions(filter, sink, balancers);
  }

  private static synchronized String newDatabase(String serverUrl) throws Exception {
    String base = serverUrl;
    if (base == null) {
      if (sharedPostgres == null) {
        sharedPostgres = EmbeddedPostgres.builder()
            .setDataDirectory(Files.createTempDirectory("frontdesk-testkit-pg")).setCleanDataDirectory(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            sharedPostgres.close();
          } catch (IOException ignored) {
            // exiting anyway
          }
        }));
      }
      base = "postgresql://postgres:postgres@127.0.0.1:" + sharedPostgres.getPort() + "/postgres?sslmode=disable";
    }
    String name = "testkit_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    var cfg = io.frontdesk.db.DatabaseConfig.parse(base, null, null);
    try (Connection c = java.sql.DriverManager.getConnection(cfg.jdbcUrl(), cfg.user(), cfg.password());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return "postgresql://" + cfg.user() + ":" + cfg.password() + "@" + cfg.host() + ":" + cfg.port() + "/" + name
        + "?sslmode=" + cfg.sslMode();
  }

  /** @return {@code http://127.0.0.1:<port>} of the proxy */
  public String proxyUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  /** @return {@code http://127.0.0.1:<port>/api/v1} of the admin API */
  public String apiUrl() {
    return "http://127.0.0.1:" + node.adminPort() + "/api/v1";
  }

  /**
   * @return the node's data directory (plugins keep their files under {@code plugin-data/<plugin id>}),
   *     for tests that look at or damage what a plugin wrote
   */
  public Path dataDirectory() {
    return dataDir;
  }

  /** @return the port of the built-in echo backend */
  public int backendPort() {
    return backend.actualPort();
  }

  /**
   * Creates upstream, site and route {@code name}: every host, paths under {@code pathPrefix}, to
   * the echo backend (or the upstream already called {@code name}).
   */
  public void routeToBackend(String name, String pathPrefix) {
    routeTo(name, pathPrefix, backendPort());
  }

  /**
   * Creates upstream, site and route {@code name}: every host, paths under {@code pathPrefix}, to a
   * backend of the test's own on 127.0.0.1:{@code port} (or the upstream already called {@code name}).
   */
  public void routeTo(String name, String pathPrefix, int port) {
    if (admin("GET", "/upstreams/" + name, null).status() == 404) {
      expect(201, admin("POST", "/upstreams", new JsonObject().put("name", name).put("targets",
          new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)))));
    }
    if (admin("GET", "/sites/testkit", null).status() == 404) {
      expect(201, admin("POST", "/sites", new JsonObject().put("name", "testkit").put("hosts", new JsonArray().add("*"))));
    }
    expect(201, admin("POST", "/routes", new JsonObject().put("name", name).put("site", "testkit").put("upstream", name)
        .put("match", new JsonObject().put("pathPrefix", pathPrefix))));
  }

  /**
   * Binds a plugin.
   *
   * @param scope {@code global}, {@code site} or {@code route}
   * @param target the site or route name ({@code null} for global)
   * @return the binding's id
   */
  public String bind(String pluginId, String scope, String target, JsonObject config) {
    JsonObject b = new JsonObject().put("scope", scope).put("config", config == null ? new JsonObject() : config);
    if (target != null) {
      b.put("target", target);
    }
    JsonObject made = expect(201, admin("POST", "/plugins/" + pluginId + "/bindings", b)).json();
    String id = made.getString("id");
    if ("logSink".equals(made.getString("kind"))) {
      awaitLogSink(id); // sinks start off the event loop, shortly after the configuration swap
    }
    return id;
  }

  private void awaitLogSink(String bindingId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!node.logSinks().isRunning(bindingId)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the log sink of binding " + bindingId + " did not start; see the log");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * @return a plausible access-log record for feeding a {@link io.frontdesk.api.log.LogSink}
   *     directly in a unit test
   */
  public static AccessLogRecord sampleRecord(String requestId, int status) {
    return AccessLogRecord.builder().timestamp(Instant.now()).node("test-node").requestId(requestId).site("app")
        .route("app").upstream("app").target("127.0.0.1:8080").method("GET").scheme("http").protocol("HTTP/1.1")
        .host("app.test").path("/items/" + requestId).query("page=1").status(status).requestBytes(0)
        .responseBytes(512).durationMicros(1800).upstreamMicros(1500).clientIp("127.0.0.1").userAgent("curl/8")
        .referer(null).tlsVersion(null).retries(0).details(null)
        .filters(List.of(new FilterTiming("headers", 12, 3, "continue"))).attributes(Map.of("cache", "MISS"))
        .build();
  }

  /** Sends a GET through the proxy; {@code headers} are name, value pairs. */
  public Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** Sends a request through the proxy. */
  public Response send(String method, String path, String body, String... headers) {
    return call(method, proxyUrl() + path, body, headers);
  }

  /** Calls the admin API, e.g. {@code admin("GET", "/plugins", null)}. */
  public Response admin(String method, String path, JsonObject body) {
    return call(method, apiUrl() + path, body == null ? null : body.encode(), "content-type", "application/json",
        "Authorization", "Bearer " + adminToken);
  }

  /** @return the admin API token of this node (send it as {@code Authorization: Bearer <token>}) */
  public String adminToken() {
    return adminToken;
  }

  private Response call(String method, String url, String body, String... headers) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      rb.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Response expect(int status, Response r) {
    if (r.status() != status) {
      throw new IllegalStateException("expected " + status + " from the admin API, got " + r.status() + ": " + r.body());
    }
    return r;
  }

  @Override
  public void close() {
    node.close();
    try {
      backendVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
