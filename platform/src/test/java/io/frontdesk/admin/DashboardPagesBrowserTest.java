package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.PluginJars;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every page of the dashboard, as the trial in issue #14 found them: nothing before sign-in but
 * the sign-in form, no "null" or "undefined" on any page, no sideways scrolling at 1280×800 nor at
 * tablet width (768), no console errors (a missing favicon would be one), empty states that say
 * what to do, keyboard focus that can be seen. Screenshots of every page, light and dark, land in
 * target/screenshots/pages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPagesBrowserTest {

  static final String PASSWORD = "pages password 12";

  /** [address, title shown] of every page, with data in place. */
  static final List<String[]> PAGES = List.of(
      new String[] {"#/overview", "Overview"}, new String[] {"#/sites", "Sites"}, new String[] {"#/site/shop", "Site shop"},
      new String[] {"#/routes", "Routes"}, new String[] {"#/route/shop", "Route shop"},
      new String[] {"#/upstreams", "Upstreams"}, new String[] {"#/upstream/shop-be", "Upstream shop-be"},
      new String[] {"#/plugins", "Plugins"}, new String[] {"#/plugin/stamp", "Plugin stamp"},
      new String[] {"#/live", "Live traffic"}, new String[] {"#/logs", "Logs"}, new String[] {"#/tracer", "Request tracer"},
      new String[] {"#/nodes", "Nodes"}, new String[] {"#/history", "History"}, new String[] {"#/access", "Access"},
      new String[] {"#/api", "API explorer"});

  static TestNode node;
  static TestBackend backend;
  static DashboardBrowser ui;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    DashboardBrowser.assumeChromium();
    backend = TestBackend.start("pages-backend");
    Path data = TestPaths.newDir("pages-node");
    Files.createDirectories(data.resolve("plugins"));
    PluginJars.stamp("stamp", "s").writeTo(data.resolve("plugins").resolve("stamp.jar"));
    node = TestNode.onDatabase(TestDatabase.newDatabase(), data, "--admin-password", PASSWORD);
    base = "http://127.0.0.1:" + node.node().adminPort();
    ui = DashboardBrowser.open(base);
  }

  @AfterAll
  static void stop() {
    if (ui != null) {
      ui.close();
    }
    if (node != null) {
      node.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  /** Console errors a page may show: none (the sign-in page's session check answers 200 {signedIn: false}). */
  static Predicate<String> expectedErrors() {
    return m -> false;
  }

  @Test
  @Order(1)
  void theSignInPageShowsNoNavigationNorSignOutAndHasAFavicon() {
    ui.go("");
    WebElement login = ui.find(By.cssSelector(".login form"));
    assertThat(login.isDisplayed()).isTrue();
    assertThat(ui.driver.findElements(By.cssSelector("#nav a"))).as("navigation links before sign-in").isEmpty();
    assertThat(ui.driver.findElements(By.id("signout"))).as("a Sign-out button before sign-in").isEmpty();
    assertThat(ui.driver.findElement(By.id("top")).isDisplayed()).isFalse();
    assertThat(ui.bodyText()).doesNotContain("Sign out").doesNotContain("Upstreams");
    String icon = ui.driver.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href");
    Http.Response r = Http.get(icon);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("image/svg+xml");
    ui.assertClean("sign-in", expectedErrors());
    ui.shot("pages/sign-in-light");
    ui.darkMode(true);
    ui.shot("pages/sign-in-dark");
    ui.darkMode(false);
  }

  @Test
  @Order(2)
  void anEmptyDashboardSaysWhatToDoNextOnEveryPage() {
    ui.signIn("admin", PASSWORD);
    ui.find(By.xpath("//main//h2[normalize-space()='Getting started']"));
    ui.assertClean("empty overview", expectedErrors());
    ui.shot("pages/empty-overview");
    for (String[] p : List.of(new String[] {"#/sites", "Sites", "Add one below"}, new String[] {"#/routes", "Routes", "first create"},
        new String[] {"#/upstreams", "Upstreams", "add one below"}, new String[] {"#/logs", "Logs", "Widen the time range"},
        new String[] {"#/tracer", "Request tracer", "Create one"})) {
      ui.go(p[0]);
      ui.heading(p[1]);
      ui.find(By.cssSelector("main .empty, main .notice"));
      assertThat(ui.find(By.tagName("main")).getText()).as(p[0] + " empty state").contains(p[2]);
      ui.assertClean(p[0] + " (empty)", expectedErrors());
      ui.shot("pages/empty-" + p[0].substring(2));
    }
  }

  @Test
  @Order(3)
  void everyPageIsCleanAtDesktopAndTabletWidthInLightAndDark() {
    makeData();
    for (boolean dark : List.of(false, true)) {
      ui.darkMode(dark);
      for (int width : List.of(DashboardBrowser.WIDE, DashboardBrowser.TABLET)) {
        ui.size(width, DashboardBrowser.HEIGHT);
        for (String[] p : PAGES) {
          ui.go(p[0]);
          ui.heading(p[1]);
          waitUntilShown(p[0]);
          ui.assertClean(p[0] + " at " + width + (dark ? " dark" : " light"), expectedErrors());
          ui.shot("pages/" + width + "-" + (dark ? "dark" : "light") + "-" + p[0].substring(2).replace('/', '-'));
        }
      }
    }
    ui.darkMode(false);
    ui.size(DashboardBrowser.WIDE, DashboardBrowser.HEIGHT);
  }

  @Test
  @Order(4)
  void theKeyboardReachesEveryNavigationLinkWithAVisibleFocusAndOpensRows() {
    ui.go("#/sites");
    ui.heading("Sites");
    // After a page is shown focus is on its content; going backwards leads through the header.
    List<String> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      new Actions(ui.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
      WebElement now = ui.driver.switchTo().activeElement();
      seen.add(now.getText());
      assertThat(focusRing()).as("the focus ring of '" + now.getText() + "'").isNotEqualTo("none");
      if (now.getText().equals("Overview")) {
        ui.shot("pages/keyboard-focus");
      }
      if (now.getText().equals("Skip to content")) {
        break;
      }
    }
    assertThat(seen).containsSubsequence("Sign out", "API", "Access", "History", "Nodes", "Tracer", "Logs", "Live",
        "Plugins", "Upstreams", "Routes", "Sites", "Overview", "Frontdesk", "Skip to content");
    assertThat(ui.driver.switchTo().activeElement().isDisplayed()).as("the skip link shows when focused").isTrue();
    new Actions(ui.driver).sendKeys(Keys.ENTER).perform();
    assertThat(ui.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
    assertThat(ui.driver.getCurrentUrl()).as("the skip link keeps the address").endsWith("#/sites");
    // A table row opens with Enter.
    WebElement row = ui.find(By.xpath("//main//tr[td[normalize-space()='shop']]"));
    ui.js("arguments[0].focus();", row);
    new Actions(ui.driver).sendKeys(Keys.ENTER).perform();
    ui.heading("Site shop");
  }

  static String focusRing() {
    return (String) ui.js("return getComputedStyle(document.activeElement).outlineStyle;");
  }

  /** Waits for what a page loads after its heading (charts, the API explorer). */
  static void waitUntilShown(String page) {
    if (page.equals("#/api")) {
      ui.find(By.cssSelector("#swagger .opblock"));
    } else if (page.equals("#/live")) {
      ui.find(By.cssSelector("main .chart canvas"));
    } else if (page.equals("#/overview")) {
      ui.wait.until(d -> !d.findElements(By.cssSelector("main .chart canvas, main .empty")).isEmpty());
    }
  }

  /** A site, an upstream with a live and a dead target, a route with a binding, some traffic. */
  static void makeData() {
    Http.Admin a = node.admin();
    Http.Admin.expect(201, a.post("/sites", new JsonObject().put("name", "shop").put("hosts", new JsonArray().add("shop.test"))));
    Http.Admin.expect(201, a.post("/upstreams", new JsonObject().put("name", "shop-be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port()))
        .add(new JsonObject().put("host", "127.0.0.1").put("port", 1).put("weight", 2)))
        .put("healthCheck", new JsonObject().put("active", new JsonObject().put("path", "/").put("intervalMs", 500)))));
    Http.Admin.expect(201, a.post("/routes", new JsonObject().put("name", "shop").put("site", "shop").put("upstream", "shop-be")
        .put("match", new JsonObject().put("pathPrefix", "/shop")).put("stripPrefix", true).put("rewrite", "/v1")));
    Http.Admin.expect(201, a.post("/plugins/stamp/bindings", new JsonObject().put("scope", "route").put("target", "shop")
        .put("config", new JsonObject().put("label", "pages"))));
    for (int i = 0; i < 5; i++) {
      Http.get(node.proxy() + "/shop/item-" + i, "Host", "shop.test");
    }
  }
}
