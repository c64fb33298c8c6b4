package io.frontdesk.plugins.accesscontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads as a PF4J plugin and works. */
class AccessControlJarIT {

  @Test
  void theJarLoadsAndActs() {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/access-control", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getInteger("defaultPriority")).isEqualTo(100);
      fd.routeToBackend("app", "/");
      fd.bind("access-control", "route", "app", new JsonObject().put("deny", new JsonArray().add("127.0.0.0/8")));
      assertThat(fd.get("/").status()).isEqualTo(403);
    }
  }
}
