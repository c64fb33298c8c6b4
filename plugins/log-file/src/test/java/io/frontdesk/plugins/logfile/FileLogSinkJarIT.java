package io.frontdesk.plugins.logfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar loads as a PF4J plugin and writes lines. */
class FileLogSinkJarIT {

  @TempDir
  Path dir;

  @Test
  void theJarLoadsAndWrites() throws Exception {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/log-file", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getJsonArray("extensions")).containsExactly("logSink");
      fd.routeToBackend("app", "/");
      Path file = dir.resolve("access.jsonl");
      fd.bind("log-file", "global", null, new JsonObject().put("path", file.toString()));
      String id = fd.get("/hello").header("x-request-id");
      assertThat(FileLogSinkThroughFrontdeskTest.awaitLines(file, 1))
          .extracting(j -> j.getString("requestId")).containsExactly(id);
    }
  }
}
