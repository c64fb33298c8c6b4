package io.frontdesk;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The first hour: a token and a first site that work as printed; a quiet restart. */
class FirstStartTest {

  static String banner(TestNode node) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Banner.print(new PrintStream(buf, true, StandardCharsets.UTF_8), node.node());
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** @return the pasteable block under "No routes yet": from its first command to the request to the proxy */
  static String firstSiteBlock(String banner) {
    List<String> lines = banner.lines().toList();
    int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("No routes yet")).findFirst().orElseThrow()) + 1;
    List<String> block = new ArrayList<>();
    for (int i = start; i < lines.size() && lines.get(i).startsWith("  "); i++) {
      block.add(lines.get(i));
    }
    return String.join("\n", block) + "\n";
  }

  static String run(String script) throws Exception {
    Path file = Files.createTempFile(TestPaths.work(), "first-site", ".sh");
    Files.writeString(file, "set -eu\n" + script);
    Process p = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("the script failed:\n%s\n%s", script, out).isZero();
    return out;
  }

  static boolean hasCurl() {
    try {
      return new ProcessBuilder("curl", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void theFirstStartPrintsAnApiTokenAndAFirstSiteThatWorksAsPrinted() throws Exception {
    assumeTrue(hasCurl(), "curl runs the printed commands");
    TestBackend app = null;
    try {
      app = TestBackend.start("app", Banner.EXAMPLE_APP_PORT, null);
    } catch (RuntimeException taken) {
      // something else listens on the example's port: the API calls are still checked
    }
    try (TestNode node = TestNode.start()) {
      String banner = banner(node);
      String token = node.node().firstStartToken();
      assertThat(token).startsWith("fdt_");
      assertThat(banner).contains("  TOKEN=" + token).contains("'first-start'");
      String block = firstSiteBlock(banner);
      assertThat(block).startsWith("  TOKEN=" + token + "\n  A=http://127.0.0.1:" + node.node().adminPort()
          + "/api/v1; AUTH=\"Authorization: Bearer $TOKEN\"\n");

      String out = run(block);
      Http.Admin api = node.admin();
      assertThat(expect(200, api.get("/upstreams/app")).json().getJsonArray("targets").getJsonObject(0)
          .getInteger("port")).isEqualTo(Banner.EXAMPLE_APP_PORT);
      assertThat(expect(200, api.get("/sites/app")).json().getJsonArray("hosts")).containsExactly("*");
      assertThat(expect(200, api.get("/routes/app")).json().getString("upstream")).isEqualTo("app");
      assertThat(expect(200, api.get("/history?limit=3")).json().encode()).contains("\"actor\":\"token:first-start\"");
      if (app != null) {
        assertThat(out).contains("\"backend\":\"app\"").contains("\"uri\":\"/\"");
      }
      JsonObject listed = expect(200, api.get("/tokens")).json().getJsonArray("items").getJsonObject(0);
      assertThat(listed.getString("name")).isEqualTo("first-start");
      assertThat(listed.getString("role")).isEqualTo("admin");
      assertThat(TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM api_tokens WHERE position('"
          + token.substring(4) + "' in encode(token_hash, 'escape')) > 0")).as("stored hashed").isEqualTo(0L);

      // The revoke command the banner gives works as printed too.
      String revoke = banner.lines().filter(l -> l.startsWith("  curl -X DELETE")).findFirst().orElseThrow();
      run("TOKEN=" + token + "\n" + revoke + "\n");
      assertThat(Http.get(api.base() + "/sites", "Authorization", "Bearer " + token).status()).isEqualTo(401);
    } finally {
      if (app != null) {
        app.close();
      }
    }
  }

  @Test
  void aRestartOnTheSameDataLogsNoWarningAndMakesNoNewToken() throws Exception {
    String db = TestDatabase.newDatabase();
    Path data = TestPaths.newDir("restart");
    try (TestNode first = TestNode.onDatabase(db, data)) {
      assertThat(first.node().firstStartToken()).isNotNull();
    }
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    root.addAppender(seen);
    try (TestNode again = TestNode.onDatabase(db, data)) {
      Thread.sleep(1500); // the access-log writer makes its partitions after the start
      assertThat(again.node().firstStartToken()).isNull();
      String banner = banner(again);
      assertThat(banner).doesNotContain("TOKEN=fdt_").contains("(TOKEN: the token printed at the first start");
    } finally {
      root.detachAppender(seen);
    }
    List<String> warnings = seen.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()).toList();
    assertThat(warnings).as("a restart and stop log no warnings").isEmpty();
  }
}
