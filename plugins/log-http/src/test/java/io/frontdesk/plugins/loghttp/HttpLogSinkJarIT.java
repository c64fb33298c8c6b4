package io.frontdesk.plugins.loghttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads as a PF4J plugin and posts. */
class HttpLogSinkJarIT {

  @Test
  void theJarLoadsAndPosts() throws Exception {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start(); Collector c = new Collector()) {
      assertThat(fd.admin("GET", "/plugins/log-http", null).json().getString("state")).isEqualTo("STARTED");
      fd.routeToBackend("app", "/");
      fd.bind("log-http", "global", null, new JsonObject().put("url", c.url()).put("flushIntervalMs", 50));
      String id = fd.get("/hello").header("x-request-id");
      c.await(x -> !x.acceptedLines().isEmpty());
      assertThat(c.acceptedLines()).singleElement().asString().contains(id);
    }
  }
}
