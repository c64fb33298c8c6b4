package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.PluginApi;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.PluginJars;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Plugin jars built by the test, dropped into a running node's folder, upgraded and removed. */
class PluginJarsTest {

  static JsonObject plugin(TestNode node, String id) {
    Http.Response r = node.admin().get("/plugins/" + id);
    return r.status() == 200 ? r.json() : null;
  }

  static JsonObject awaitPlugin(TestNode node, String id, String state, String version, long maxMillis) {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    JsonObject p = null;
    while (System.nanoTime() < deadline) {
      p = plugin(node, id);
      if (p != null && state.equals(p.getString("state")) && (version == null || version.equals(p.getString("version")))) {
        return p;
      }
      sleep(50);
    }
    throw new AssertionError("plugin " + id + " did not become " + state + " " + version + " in " + maxMillis
        + " ms; last: " + p);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return a Plugin-Requires expression for the API's next major version, which this Frontdesk is not */
  static String nextMajor() {
    return "^" + (Integer.parseInt(PluginApi.version().split("\\.")[0]) + 1) + ".0.0";
  }

  @Test
  void aJarDroppedInIsUsableWithinTwoSecondsUpgradedAndRemovedUnderLoad() throws Exception {
    TestBackend backend = TestBackend.start("jar-be");
    try (TestNode node = TestNode.start()) {
      node.admin().simpleRoute("app", "*", backend.port());
      Path dir = node.node().settings().pluginsDir();

      long t0 = System.nanoTime();
      PluginJars.stamp("stamp", "v1").version("1.0.0").writeTo(dir.resolve("stamp.jar"));
      JsonObject loaded = awaitPlugin(node, "stamp", "STARTED", "1.0.0", 2000);
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
      assertThat(loaded.getString("jar")).isEqualTo("stamp.jar");
      String binding = expect(201, node.admin().post("/plugins/stamp/bindings", new JsonObject().put("scope", "route")
          .put("target", "app").put("failOpen", true).put("config", new JsonObject().put("label", "L")))).json()
          .getString("id");
      assertThat(Http.get(node.proxy() + "/x").header("x-stamp")).isEqualTo("v1:L");

      // Continuous load from here on; no request may fail.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong failed = new AtomicLong();
      AtomicReference<String> firstFailure = new AtomicReference<>();
      Map<String, AtomicLong> stamps = new ConcurrentHashMap<>();
      ExecutorService load = Executors.newFixedThreadPool(6);
      for (int i = 0; i < 6; i++) {
        load.submit(() -> {
          for (int n = 0; running.get() && n < 200_000; n++) {
            try {
              HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/load"))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 200) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, r.statusCode() + " " + r.body());
              }
              stamps.computeIfAbsent(r.headers().firstValue("x-stamp").orElse("none"), k -> new AtomicLong())
                  .incrementAndGet();
            } catch (Exception e) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e.toString());
            }
          }
        });
      }
      // An exchange in flight when the jar changes finishes on the chain it started with.
      var inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create(node.proxy() + "/slow/1200")).build(),
          HttpResponse.BodyHandlers.ofString());
      sleep(300);

      PluginJars.stamp("stamp", "v2").version("2.0.0").writeTo(dir.resolve("stamp.jar"));
      awaitPlugin(node, "stamp", "STARTED", "2.0.0", 3000);
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (!"v2:L".equals(Http.get(node.proxy() + "/y").header("x-stamp")) && System.nanoTime() < deadline) {
        sleep(20);
      }
      assertThat(Http.get(node.proxy() + "/y").header("x-stamp")).isEqualTo("v2:L");
      assertThat(inFlight.get(10, TimeUnit.SECONDS).headers().firstValue("x-stamp")).hasValue("v1:L");

      Files.delete(dir.resolve("stamp.jar"));
      deadline = System.nanoTime() + 3_000_000_000L;
      while (plugin(node, "stamp") != null && System.nanoTime() < deadline) {
        sleep(50);
      }
      assertThat(plugin(node, "stamp")).isNull();
      sleep(300);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(failed.get()).as("failed requests; first: %s", firstFailure.get()).isZero();
      assertThat(stamps.keySet()).contains("v1:L", "v2:L", "none");
      // The fail-open binding is skipped while its plugin is gone; a fail-closed one answers 503.
      expect(200, node.admin().patch("/plugins/stamp/bindings/" + binding, new JsonObject().put("failOpen", false)));
      Http.Response closed = Http.get(node.proxy() + "/z", "Accept", "application/json");
      assertThat(closed.status()).isEqualTo(503);
    } finally {
      backend.close();
    }
  }

  @Test
  void brokenJarsAreListedAsFailedWithTheirReasonAndNeverStopStartUp() throws Exception {
    Path dir = TestPaths.newDir("broken-plugins");
    PluginJars.stamp("no-manifest", "x").withoutManifest().writeTo(dir.resolve("no-manifest.jar"));
    PluginJars.plugin("missing-class").listMissingExtension("test.Nowhere").writeTo(dir.resolve("missing-class.jar"));
    PluginJars.stamp("future-api", "x").requires(nextMajor()).writeTo(dir.resolve("future-api.jar"));
    PluginJars.stamp("own-api", "x").bundleClassOf(FilterFactory.class).writeTo(dir.resolve("own-api.jar"));
    PluginJars.plugin("no-extensions").writeTo(dir.resolve("no-extensions.jar"));
    Files.writeString(dir.resolve("not-a-zip.jar"), "hello");
    PluginJars.stamp("fine", "ok").writeTo(dir.resolve("fine.jar"));

    try (TestNode node = TestNode.start("--plugins-dir", dir.toString())) {
      assertThat(plugin(node, "fine").getString("state")).isEqualTo("STARTED");
      assertThat(plugin(node, "no-manifest.jar").getString("reason")).contains("not a usable plugin jar");
      assertThat(plugin(node, "not-a-zip.jar").getString("state")).isEqualTo("FAILED");
      JsonObject missing = plugin(node, "missing-class");
      assertThat(missing.getString("state")).isEqualTo("FAILED");
      assertThat(missing.getString("reason")).contains("test.Nowhere cannot be loaded");
      JsonObject future = plugin(node, "future-api");
      assertThat(future.getString("reason")).isEqualTo("built for plugin API " + nextMajor() + ", but this Frontdesk "
          + "provides plugin API " + PluginApi.version() + "; rebuild the plugin against it");
      assertThat(plugin(node, "own-api").getString("reason")).contains("own copy of the Frontdesk plugin API")
          .contains("provided");
      assertThat(plugin(node, "no-extensions").getString("reason")).contains("no extensions");
      assertThat(Http.get(node.adminBase() + "/readyz").status()).isEqualTo(200);

      // Fixing a broken jar in place makes it load.
      PluginJars.stamp("future-api", "x").requires("^" + PluginApi.version()).writeTo(dir.resolve("future-api.jar"));
      awaitPlugin(node, "future-api", "STARTED", null, 3000);
    }
  }

  @Test
  void aSecondJarWithTheSameIdIsRefusedUntilTheFirstIsGone() {
    try (TestNode node = TestNode.start()) {
      Path dir = node.node().settings().pluginsDir();
      PluginJars.stamp("twin", "one").version("1.0.0").writeTo(dir.resolve("twin-1.jar"));
      awaitPlugin(node, "twin", "STARTED", "1.0.0", 3000);
      PluginJars.stamp("twin", "two").version("2.0.0").writeTo(dir.resolve("twin-2.jar"));
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (plugin(node, "twin-2.jar") == null && System.nanoTime() < deadline) {
        sleep(50);
      }
      assertThat(plugin(node, "twin-2.jar").getString("reason")).contains("already installed from twin-1.jar");
      sleep(10); // the refused jar is retried once the other is removed
      try {
        Files.delete(dir.resolve("twin-1.jar"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      awaitPlugin(node, "twin", "STARTED", "2.0.0", 3000);
    }
  }

  @Test
  void uploadsAJarThroughTheApiAndRefusesABrokenOneWithoutChangingAnything() throws Exception {
    try (TestNode node = TestNode.start()) {
      Path jar = PluginJars.stamp("uploaded", "up").writeTo(TestPaths.newDir("upload").resolve("u.jar"));
      Http.Response r = Http.send("POST", node.admin().base() + "/plugins", null, Http.AUTH);
      assertThat(r.status()).isEqualTo(400);
      HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(node.admin().base() + "/plugins")).headers(Http.AUTH).header("content-type", "application/java-archive")
          .POST(HttpRequest.BodyPublishers.ofFile(jar)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(new JsonObject(created.body()).getString("state")).isEqualTo("STARTED");
      assertThat(Files.exists(node.node().settings().pluginsDir().resolve("uploaded.jar"))).isTrue();

      Path bad = PluginJars.stamp("bad-upload", "x").requires("^9.0.0").writeTo(TestPaths.newDir("upload").resolve("b.jar"));
      HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(node.admin().base() + "/plugins")).headers(Http.AUTH).POST(HttpRequest.BodyPublishers.ofFile(bad)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("built for plugin API ^9.0.0");
      try (var files = Files.list(node.node().settings().pluginsDir())) {
        assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("uploaded.jar");
      }
    }
  }
}
