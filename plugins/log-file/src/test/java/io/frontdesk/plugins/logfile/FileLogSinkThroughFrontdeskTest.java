package io.frontdesk.plugins.logfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real traffic through a node writes one JSON line per exchange. */
class FileLogSinkThroughFrontdeskTest {

  @TempDir
  Path dir;

  @Test
  void everyExchangeBecomesOneLineAndBadConfigIsRefused() throws Exception {
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().plugin("log-file", new FileLogSinkFactory()).start()) {
      fd.routeToBackend("app", "/");
      Path file = dir.resolve("logs/access.jsonl");
      fd.bind("log-file", "global", null, new JsonObject().put("path", file.toString()).put("rotate", "none"));

      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        FrontdeskTestKit.Response r = fd.get("/things/" + i + "?token=abc");
        assertThat(r.status()).isEqualTo(200);
        sent.add(r.header("x-request-id"));
      }
      List<JsonObject> lines = awaitLines(file, 20);
      assertThat(lines).extracting(j -> j.getString("requestId")).containsExactlyElementsOf(sent);
      JsonObject first = lines.get(0);
      assertThat(first.getString("path")).isEqualTo("/things/0");
      assertThat(first.getString("query")).isEqualTo("token=REDACTED");
      assertThat(first.getInteger("status")).isEqualTo(200);
      assertThat(first.getString("route")).isEqualTo("app");

      FrontdeskTestKit.Response bad = fd.admin("POST", "/plugins/log-file/bindings", new JsonObject()
          .put("scope", "global").put("config", new JsonObject().put("rotate", "weekly").put("keep", -1)));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("rotate").contains("keep");
    }
  }

  static List<JsonObject> awaitLines(Path file, int n) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<JsonObject> lines = new ArrayList<>();
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file)) {
          lines.add(new JsonObject(l));
        }
      }
      if (lines.size() >= n || System.nanoTime() > deadline) {
        return lines;
      }
      Thread.sleep(50);
    }
  }
}
