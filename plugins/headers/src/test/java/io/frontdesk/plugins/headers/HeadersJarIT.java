package io.frontdesk.plugins.headers;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads as a PF4J plugin and works. */
class HeadersJarIT {

  @Test
  void theJarLoadsAndActs() {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/headers", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getString("source")).isEqualTo("jar");
      assertThat(info.getInteger("defaultPriority")).isEqualTo(600);
      assertThat(info.getJsonArray("extensions")).containsExactly("filter");
      fd.routeToBackend("app", "/");
      fd.bind("headers", "global", null, new JsonObject().put("response",
          new JsonObject().put("set", new JsonObject().put("X-Powered-By", "frontdesk"))));
      assertThat(fd.get("/").header("x-powered-by")).isEqualTo("frontdesk");
    }
  }
}
