package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar (with Caffeine inside) loads as a PF4J plugin and caches. */
class CacheJarIT {

  @Test
  void theJarLoadsAndServesFromItsCache() throws Exception {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (Origin origin = new Origin(); FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/cache", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getInteger("defaultPriority")).isEqualTo(500);
      fd.routeTo("app", "/", origin.port());
      fd.bind("cache", "global", null, new JsonObject());
      origin.on("/x", Origin.Reply.of(200, "cached", "Cache-Control", "max-age=60"));
      fd.get("/x");
      assertThat(fd.get("/x").header("cache-status")).startsWith("Frontdesk; hit");
      assertThat(origin.calls("/x")).isEqualTo(1);
    }
  }
}
