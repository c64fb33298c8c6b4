package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A backend that dies, as the trial in issue #14 saw it: the Upstreams page must explain the
 * outage — the target's state, the active check's failure reason and when it ran — and say
 * "unknown" while no check has finished yet. The overview lists the target as down, with the
 * reason and a link to its upstream (once the API offers /api/v1/overview).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardHealthBrowserTest {

  static final String PASSWORD = "health password 12";

  static TestNode node;
  static TestBackend doomed;
  static TestBackend silent;
  static DashboardBrowser ui;

  @BeforeAll
  static void start() {
    DashboardBrowser.assumeChromium();
    doomed = TestBackend.start("doomed");
    silent = TestBackend.start("silent", 0, req -> { }); // never answers: its check never finishes
    node = TestNode.start("--admin-password", PASSWORD);
    Http.Admin a = node.admin();
    Http.Admin.expect(201, a.post("/upstreams", upstream("pool", doomed.port(), 300, 1000)));
    Http.Admin.expect(201, a.post("/upstreams", upstream("quiet", silent.port(), 60_000, 60_000)));
    ui = DashboardBrowser.open("http://127.0.0.1:" + node.node().adminPort());
    ui.signIn("admin", PASSWORD);
  }

  static JsonObject upstream(String name, int port, int intervalMs, int timeoutMs) {
    return new JsonObject().put("name", name)
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)))
        .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "/").put("intervalMs", intervalMs)
            .put("timeoutMs", timeoutMs).put("healthyThreshold", 1).put("unhealthyThreshold", 1)));
  }

  @AfterAll
  static void stop() {
    if (ui != null) {
      ui.close();
    }
    if (node != null) {
      node.close();
    }
    if (silent != null) {
      silent.close();
    }
  }

  static WebElement targetRow(String upstream) {
    return ui.find(By.xpath("//main//article[@data-upstream='" + upstream + "']//tbody/tr"));
  }

  @Test
  @Order(1)
  void aTargetWhoseFirstCheckHasNotFinishedIsUnknown() {
    ui.go("#/upstreams");
    ui.heading("Upstreams");
    WebElement row = targetRow("quiet");
    assertThat(row.getText()).contains("unknown").contains("not run yet");
    ui.wait.until(d -> targetRow("pool").findElement(By.cssSelector("td[data-label='State']")).getText().startsWith("healthy"));
    ui.assertClean("upstreams", m -> false);
    ui.shot("health/01-healthy-and-unknown");
  }

  @Test
  @Order(2)
  void aDeadTargetShowsItsActiveCheckFailureReasonAndWhen() {
    int port = doomed.port();
    doomed.close();
    ui.go("#/upstreams");
    ui.heading("Upstreams");
    // The page refreshes the states by itself every few seconds: no reload here.
    new WebDriverWait(ui.driver, Duration.ofSeconds(20)).until(d -> targetRow("pool").getText().contains("unhealthy"));
    WebElement row = targetRow("pool");
    String state = row.findElement(By.cssSelector("td[data-label='State']")).getText();
    assertThat(state).contains("unhealthy").containsIgnoringCase("refused");
    JsonObject target = node.admin().get("/upstreams/pool/health").json().getJsonArray("targets").getJsonObject(0);
    if (target.getString("since") != null) { // the API's start of the outage, where it gives one
      assertThat(state).contains("since");
    }
    assertThat(row.findElement(By.cssSelector("td[data-label='Last active check']")).getText()).contains("failed").contains("ago");
    assertThat(row.findElement(By.cssSelector("td[data-label='Target']")).getText()).isEqualTo("127.0.0.1:" + port);
    ui.find(By.xpath("//main//article[@data-upstream='pool']//span[normalize-space()='0 of 1 targets available']"));
    ui.assertClean("upstreams with a dead target", m -> false);
    ui.shot("health/02-dead-target");

    ui.go("#/upstream/pool");
    ui.heading("Upstream pool");
    assertThat(ui.find(By.cssSelector("main .notice.bad")).getText()).contains("not taking traffic");
    assertThat(ui.find(By.xpath("//main//td[@data-label='State']")).getText()).containsIgnoringCase("refused");
    ui.shot("health/03-upstream-page");
  }

  @Test
  @Order(3)
  void theOverviewListsTheDeadTargetWithItsReasonAndALinkToItsUpstream() {
    boolean overview = node.admin().get("/overview").status() != 404;
    ui.go("#/overview");
    ui.heading("Overview");
    if (!overview) {
      // Until the API offers GET /api/v1/overview the page says so instead of showing figures.
      assertThat(ui.find(By.cssSelector("main .notice")).getText()).contains("/api/v1/overview");
      ui.assertClean("overview without its endpoint", m -> m.contains("/api/v1/overview") && m.contains("404"));
      return;
    }
    WebElement down = ui.find(By.xpath("//main//section[h2='Targets down']"));
    ui.wait.until(d -> down.getText().contains("pool"));
    assertThat(down.getText()).containsIgnoringCase("refused");
    ui.press(down.findElement(By.xpath(".//a[contains(., 'pool')]")));
    ui.heading("Upstream pool");
    ui.go("#/overview");
    ui.heading("Overview");
    ui.assertClean("overview", m -> false);
    ui.shot("health/04-overview");
  }
}
