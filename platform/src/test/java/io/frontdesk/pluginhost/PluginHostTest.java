package io.frontdesk.pluginhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginApi;
import io.frontdesk.testing.PluginJars;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plugin host on its own (no node): real jars in a real folder, a real registry. */
class PluginHostTest {

  Vertx vertx;
  Path pluginsDir;
  Path dataDir;
  PluginRegistry registry;
  AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    pluginsDir = TestPaths.newDir("host-plugins");
    dataDir = TestPaths.newDir("host-data");
    registry = new PluginRegistry(vertx, dataDir, "test-node");
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  PluginHost host() {
    return new PluginHost(pluginsDir, dataDir, registry, changes::incrementAndGet, () -> Long.MAX_VALUE);
  }

  static PluginInfo entry(PluginHost host, String id) {
    return host.list().stream().filter(i -> id.equals(i.id())).findFirst().orElse(null);
  }

  @Test
  void aJarBuiltAgainstAnIncompatiblePluginApiVersionIsFailedWithThatReason() {
    String next = PluginJarsTest.nextMajor();
    PluginJars.stamp("future", "x").version("3.1.0").requires(next).writeTo(pluginsDir.resolve("future.jar"));
    try (PluginHost host = host()) {
      host.start();

      PluginInfo future = entry(host, "future");
      assertThat(future.state()).isEqualTo("FAILED");
      assertThat(future.reason()).isEqualTo("built for plugin API " + next + ", but this Frontdesk provides plugin API "
          + PluginApi.version() + "; rebuild the plugin against it");
      assertThat(future.jar()).isEqualTo("future.jar");
      assertThat(future.version()).isEqualTo("3.1.0");
      assertThat(future.requires()).isEqualTo(next);
      assertThat(registry.pluginIds()).doesNotContain("future");
      assertThat(changes).hasValue(0);
    }
  }

  @Test
  void aRefusedUpgradeKeepsTheRunningVersionAndSaysWhy() {
    PluginJars.stamp("stamp", "v1").version("1.0.0").writeTo(pluginsDir.resolve("stamp.jar"));
    try (PluginHost host = host()) {
      host.start();
      assertThat(entry(host, "stamp").state()).isEqualTo("STARTED");
      assertThat(changes).hasValue(1);

      String next = PluginJarsTest.nextMajor();
      PluginJars.stamp("stamp", "v2").version("2.0.0").requires(next).writeTo(pluginsDir.resolve("stamp.jar"));
      host.rescan();

      PluginInfo stamp = entry(host, "stamp");
      assertThat(stamp.state()).isEqualTo("STARTED");
      assertThat(stamp.version()).isEqualTo("1.0.0");
      assertThat(stamp.reason()).startsWith("upgrade refused: built for plugin API " + next)
          .endsWith("(version 1.0.0 keeps running)");
      assertThat(registry.pluginIds()).contains("stamp");
      assertThat(changes).hasValue(1);
    }
  }

  @Test
  void aRemovedJarIsUnloadedAndItsCachedCopyDeletedOnceNoSnapshotUsesIt() throws Exception {
    PluginJars.stamp("gone", "v1").writeTo(pluginsDir.resolve("gone.jar"));
    try (PluginHost host = host()) {
      host.start();
      assertThat(entry(host, "gone").state()).isEqualTo("STARTED");
      try (var cached = Files.list(dataDir.resolve("plugin-cache"))) {
        assertThat(cached.map(p -> p.getFileName().toString()).toList()).anyMatch(n -> n.startsWith("gone-"));
      }

      Files.delete(pluginsDir.resolve("gone.jar"));
      host.rescan();
      assertThat(entry(host, "gone")).isNull();
      assertThat(registry.pluginIds()).doesNotContain("gone");
      assertThat(changes).hasValue(2);

      long deadline = System.nanoTime() + 5_000_000_000L;
      while (cacheHolds("gone-") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(cacheHolds("gone-")).as("the cached copy is deleted by the next scan").isFalse();
    }
  }

  private boolean cacheHolds(String prefix) throws Exception {
    try (var cached = Files.list(dataDir.resolve("plugin-cache"))) {
      return cached.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    }
  }
}
