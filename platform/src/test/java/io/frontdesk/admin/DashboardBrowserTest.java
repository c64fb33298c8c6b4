package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a real node and database: an operator's day,
 * step by step (sign in, demo, create, trace, plugins, live, history, tokens, roles). Screenshots
 * of each step land in target/screenshots. The other Dashboard*BrowserTest classes cover every
 * page's looks, editing, target health and the logs/API explorer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final String PASSWORD = "dashboard password 1";

  static TestNode node;
  static TestBackend backend;
  static DashboardBrowser ui;
  static WebDriver browser;
  static WebDriverWait wait;
  static String base;

  @BeforeAll
  static void start() {
    DashboardBrowser.assumeChromium();
    backend = TestBackend.start("shop-backend");
    node = TestNode.start("--admin-password", PASSWORD);
    base = "http://127.0.0.1:" + node.node().adminPort();
    ui = DashboardBrowser.open(base);
    browser = ui.driver;
    wait = ui.wait;
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

  static void shot(String name) {
    ui.shot(name);
  }

  static WebElement heading(String text) {
    return ui.heading(text);
  }

  static WebElement field(WebElement scope, String label) {
    return ui.field(scope, label);
  }

  static void fill(WebElement form, Map<String, String> values) {
    ui.fill(form, values);
  }

  static WebElement lastForm() {
    return ui.lastForm();
  }

  static void refreshUntilPresent(By what) {
    ui.refreshUntilPresent(what);
  }

  static void go(String hash) {
    ui.go(hash);
  }

  static Object fetchStatus(String method, String path, String body, boolean withCsrf) {
    return ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "const headers = {'content-type': 'application/json'};"
            + "const go = csrf => { if (csrf) headers['X-CSRF-Token'] = csrf;"
            + "  return fetch('/api/v1' + arguments[1], {method: arguments[0], headers, body: arguments[2] || undefined}); };"
            + "fetch('/api/v1/auth/session').then(r => r.json()).then(s => go(arguments[3] ? s.csrfToken : null))"
            + ".then(r => done(r.status)).catch(e => done(String(e)));",
        method, path, body, withCsrf);
  }

  @Test
  @Order(1)
  void anOperatorSignsIn() {
    browser.get(base + "/");
    WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login form")));
    shot("01-sign-in");
    fill(login, Map.of("Account", "admin", "Password", "not the password"));
    login.submit();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".login .form-error"), "wrong name or password"));
    login = browser.findElement(By.cssSelector(".login form"));
    fill(login, Map.of("Account", "admin", "Password", PASSWORD));
    login.submit();
    heading("Overview");
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin (admin)");
    shot("02-overview-empty");
    go("#/sites");
    heading("Sites");
    assertThat(browser.findElement(By.cssSelector("main .empty")).getText()).contains("No sites yet");
    shot("02-sites-empty");
    ui.clearConsole(); // the wrong password's 401
  }

  @Test
  @Order(2)
  void anEmptyDashboardOffersTheDemoWhichBalancesOverTwoBuiltInBackendsAndIsRemovable() {
    go("#/sites");
    heading("Sites");
    ui.press(browser.findElement(By.xpath("//button[normalize-space()='Create the demo']")));
    heading("Site demo");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 6; i++) {
      Http.Response r = Http.get(node.proxy() + "/demo-page");
      assertThat(r.status()).isEqualTo(200);
      seen.add(r.header("x-demo-backend"));
    }
    assertThat(seen).containsExactlyInAnyOrder("A", "B");
    go("#/sites");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main td .demo-tag")));
    shot("02b-demo");
    ui.press(browser.findElement(By.xpath("//button[normalize-space()='Remove the demo']")));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//button[normalize-space()='Create the demo']")));
    assertThat(node.admin().get("/sites/demo").status()).isEqualTo(404);
    assertThat(node.admin().get("/upstreams/demo-backends").status()).isEqualTo(404);
    assertThat(Http.get(node.proxy() + "/demo-page").status()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void createsASiteAnUpstreamAndARouteAndSeesTheApisFieldErrors() {
    go("#/sites");
    heading("Sites");
    WebElement f = lastForm();
    fill(f, Map.of("Name", "bad name!", "Hosts", "shop.test"));
    f.submit();
    wait.until(d -> !field(lastForm(), "Name").findElement(By.xpath("following-sibling::div[@class='error']")).getText().isEmpty());
    f = lastForm();
    fill(f, Map.of("Name", "shop", "Hosts", "Not A Host!"));
    f.submit();
    wait.until(d -> !field(lastForm(), "Hosts")
        .findElement(By.xpath("following-sibling::small/following-sibling::div[@class='error']")).getText().isEmpty());
    assertThat(node.admin().get("/sites/shop").status()).as("nothing written").isEqualTo(404);
    shot("03-site-field-errors");
    f = lastForm();
    fill(f, Map.of("Name", "shop", "Hosts", "shop.test"));
    f.submit();
    heading("Site shop");

    go("#/upstreams");
    heading("Upstreams");
    f = ui.form("Add an upstream");
    fill(f, Map.of("Name", "shop-be", "Host of target 1", "127.0.0.1", "Port of target 1", String.valueOf(backend.port())));
    f.submit();
    heading("Upstream shop-be");
    go("#/upstreams");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//h2[contains(., 'shop-be')]")));
    shot("04-upstreams");

    go("#/routes");
    heading("Routes");
    f = ui.form("Add a route");
    fill(f, Map.of("Name", "shop", "Site", "shop", "Upstream", "shop-be", "Path prefix", "/"));
    f.submit();
    heading("Route shop");
    go("#/routes");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//td[normalize-space()='shop-be' or .//a[normalize-space()='shop-be']]")));
    shot("05-routes");
    assertThat(Http.get(node.proxy() + "/hello", "Host", "shop.test").status()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void tracesARequestStepByStepAndFindsItInTheLogs() {
    go("#/tracer");
    heading("Request tracer");
    WebElement f = lastForm();
    fill(f, Map.of("Site", "shop", "Path", "/traced-path"));
    f.submit();
    wait.until(d -> !d.findElements(By.cssSelector(".flow .step.shown[data-kind='response']")).isEmpty()
        || !d.findElement(By.cssSelector("main form .form-error")).getText().isEmpty());
    shot("06-tracer");
    assertThat(browser.findElement(By.cssSelector("main form .form-error")).getText()).isEmpty();
    List<String> kinds = browser.findElements(By.cssSelector(".flow .step")).stream().map(e -> e.getAttribute("data-kind")).toList();
    assertThat(kinds).containsSubsequence("client", "route", "upstream", "response");
    assertThat(browser.findElement(By.cssSelector(".flow .step[data-kind='upstream']")).getText())
        .contains("127.0.0.1:" + backend.port());
    assertThat(browser.findElement(By.xpath("//h2[starts-with(., 'Response ')]")).getText()).isEqualTo("Response 200");
    Object top = ui.js("return document.getElementById('trace-result').getBoundingClientRect().top;");
    assertThat(((Number) top).doubleValue()).as("the result is scrolled into view").isBetween(0.0, 400.0);

    ui.press(browser.findElement(By.linkText("This request in the access log")));
    heading("Logs");
    refreshUntilPresent(By.xpath("//main//td[normalize-space()='/traced-path']"));
    ui.press(browser.findElement(By.xpath("//main//td[normalize-space()='/traced-path']")));
    assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main pre"))).getText())
        .contains("\"route\": \"shop\"");
    shot("07-logs");
  }

  @Test
  @Order(5)
  void uploadsPluginsBindsThemWithSchemaFormsReordersTheChainAndShowsTheirCost() {
    for (String id : List.of("stamp-a", "stamp-b")) {
      Path jar = io.frontdesk.testing.PluginJars.stamp(id, id.substring(6))
          .writeTo(io.frontdesk.testing.TestPaths.newDir("upload").resolve(id + ".jar"));
      go("#/plugins");
      heading("Plugins");
      browser.findElement(By.id("jar")).sendKeys(jar.toString());
      ui.press(browser.findElement(By.xpath("//button[normalize-space()='Upload']")));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//tr[td[normalize-space()='" + id
          + "']]//span[normalize-space()='STARTED']")));
      ui.press(browser.findElement(By.xpath("//main//td[normalize-space()='" + id + "']")));
      heading("Plugin " + id);
      WebElement f = lastForm();
      fill(f, Map.of("Where", "Route shop", "label (required)", "L" + id.substring(6)));
      f.submit();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//td[normalize-space()='route shop']")));
      ui.clearConsole();
    }
    shot("11-plugin-bound");
    // Equal priorities run by plugin id: a, then b on the way in; so b, then a on the way out.
    assertThat(Http.get(node.proxy() + "/chain", "Host", "shop.test").headers().allValues("x-stamp"))
        .containsExactly("b:Lb", "a:La");
    go("#/route/shop");
    heading("Route shop");
    assertThat(browser.findElements(By.cssSelector("ol.chain li")).stream().map(e -> e.getAttribute("data-plugin")).toList())
        .containsExactly("stamp-a", "stamp-b");
    ui.press(browser.findElement(By.xpath("//button[@aria-label='Move stamp-b earlier']")));
    wait.until(d -> d.findElements(By.cssSelector("ol.chain li")).stream().map(e -> e.getAttribute("data-plugin")).toList()
        .equals(List.of("stamp-b", "stamp-a")));
    shot("12-route-chain");
    wait.until(d -> Http.get(node.proxy() + "/chain", "Host", "shop.test").headers().allValues("x-stamp")
        .equals(List.of("a:La", "b:Lb")));
    // Their cost, from the access log's filter timings.
    go("#/plugins");
    refreshUntilPresent(By.xpath("//main//td[normalize-space()='stamp-b']/following-sibling::td[contains(., 'µs')]"));
    shot("13-plugin-cost");
  }

  @Test
  @Order(6)
  void liveTrafficShowsTheSiteWithin() throws Exception {
    go("#/live");
    heading("Live traffic");
    Thread loader = new Thread(() -> {
      for (int i = 0; i < 150; i++) {
        Http.get(node.proxy() + "/live-" + i, "Host", "shop.test");
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    loader.start();
    try {
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//main//td/a[normalize-space()='shop']")));
      assertThat(browser.findElement(By.cssSelector(".kpi b")).getText()).isNotEqualTo("0");
      assertThat(browser.findElements(By.cssSelector("main .chart .uplot canvas"))).as("uPlot charts").hasSize(2);
      // Hovering shows the values of that second, with their unit.
      new org.openqa.selenium.interactions.Actions(browser).moveToElement(browser.findElement(By.cssSelector("main .chart .u-over")))
          .perform();
      wait.until(d -> d.findElement(By.cssSelector("main .chart .u-legend")).getText().contains("req/s"));
      shot("08-live");
    } finally {
      loader.interrupt();
      loader.join();
    }
  }

  @Test
  @Order(7)
  void changesASettingAndRollsItBack() {
    go("#/site/shop");
    heading("Site shop");
    WebElement f = lastForm();
    fill(f, Map.of("Hosts", "shop.test, www.shop.test"));
    f.submit();
    wait.until(d -> node.admin().get("/sites/shop").json().getJsonArray("hosts").size() == 2);
    go("#/history");
    heading("History");
    // The change, by names and fields: no ids.
    long newest = node.admin().get("/history?limit=1").json().getJsonArray("items").getJsonObject(0).getLong("version");
    ui.click(By.xpath("//button[@aria-label='Show the changes of version " + newest + "']"));
    WebElement diff = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#diff .diff-item")));
    assertThat(diff.getText()).contains("site shop").contains("changed").contains("hosts")
        .contains("shop.test, www.shop.test").doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
    shot("09-history");
    // The newest version is the change; roll back to the one before it.
    long before = node.admin().get("/history?limit=2").json().getJsonArray("items").getJsonObject(1).getLong("version");
    ui.click(By.xpath("//button[@aria-label='Roll back to version " + before + "']"));
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(d -> node.admin().get("/sites/shop").json().getJsonArray("hosts").equals(new JsonArray().add("shop.test")));
    JsonObject last = node.admin().get("/history?limit=1").json().getJsonArray("items").getJsonObject(0);
    assertThat(last.getString("actor")).isEqualTo("admin");
    assertThat(last.getString("action")).containsIgnoringCase("roll back");
  }

  @Test
  @Order(8)
  void makesAnApiTokenInTheDashboardThatWorksOnceCopied() {
    go("#/access");
    heading("Access");
    WebElement f = browser.findElements(By.cssSelector("main form")).stream()
        .filter(e -> !e.findElements(By.xpath(".//label[normalize-space()='Token name']")).isEmpty()).findFirst().orElseThrow();
    fill(f, Map.of("Token name", "ci-token", "Token role", "viewer"));
    f.submit();
    String token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-token"))).getText();
    assertThat(token).startsWith("fdt_");
    assertThat(browser.findElement(By.xpath("//main//section[h2='API tokens']//table")).getText()).contains("ci-token");
    shot("10b-access");
    assertThat(Http.get(base + "/api/v1/sites", "Authorization", "Bearer " + token).status()).isEqualTo(200);
    assertThat(Http.send("POST", base + "/api/v1/sites", "{\"name\":\"t\",\"hosts\":[\"t.test\"]}", "content-type",
        "application/json", "Authorization", "Bearer " + token).status()).as("a viewer token").isEqualTo(403);
  }

  @Test
  @Order(9)
  void csrfLessAndUnauthenticatedChangesAreRefused() {
    go("#/sites");
    heading("Sites");
    assertThat(fetchStatus("POST", "/sites", "{\"name\":\"x\",\"hosts\":[\"x.test\"]}", false)).isEqualTo(403L);
    assertThat(fetchStatus("POST", "/sites", "{\"name\":\"x2\",\"hosts\":[\"x2.test\"]}", true)).isEqualTo(201L);
    browser.findElement(By.id("signout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login form")));
    assertThat(fetchStatus("POST", "/sites", "{\"name\":\"x3\",\"hosts\":[\"x3.test\"]}", false)).isEqualTo(401L);
    assertThat(node.admin().get("/sites/x3").status()).isEqualTo(404);
  }

  @Test
  @Order(10)
  void aViewerSeesButCannotEdit() {
    assertThat(node.admin().post("/users", new JsonObject().put("name", "vic").put("role", "viewer")
        .put("password", "viewer password 1")).status()).isEqualTo(201);
    browser.get(base + "/");
    WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login form")));
    fill(login, Map.of("Account", "vic", "Password", "viewer password 1"));
    login.submit();
    heading("Overview");
    go("#/sites");
    heading("Sites");
    assertThat(browser.findElements(By.cssSelector("main form.card"))).as("no create form for viewers").isEmpty();
    assertThat(browser.findElements(By.xpath("//main//button[normalize-space()='Delete']"))).as("no delete buttons").isEmpty();
    assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("vic (viewer)");
    assertThat(fetchStatus("POST", "/sites", "{\"name\":\"v\",\"hosts\":[\"v.test\"]}", true)).isEqualTo(403L);
    go("#/nodes");
    heading("Nodes");
    assertThat(browser.findElement(By.cssSelector("main table")).getText()).contains("current");
    shot("10-nodes-as-viewer");
  }
}
