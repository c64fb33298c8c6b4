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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Editing in place, as the trial in issue #14 missed it: a site, a route (match rules, rewrite,
 * strip-prefix, Host), an upstream with its targets and health check, a plugin binding (its
 * configuration, enabled, fail-open) and a plugin everywhere — each round trip checked in the API
 * and, where it shows, in the proxy; a wrong value shows the API's message next to its field and
 * changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardEditBrowserTest {

  static final String PASSWORD = "editing password 1";

  static TestNode node;
  static TestBackend first;
  static TestBackend second;
  static DashboardBrowser ui;

  @BeforeAll
  static void start() throws Exception {
    DashboardBrowser.assumeChromium();
    first = TestBackend.start("first");
    second = TestBackend.start("second");
    Path data = TestPaths.newDir("edit-node");
    Files.createDirectories(data.resolve("plugins"));
    PluginJars.stamp("stamp", "s").writeTo(data.resolve("plugins").resolve("stamp.jar"));
    node = TestNode.onDatabase(TestDatabase.newDatabase(), data, "--admin-password", PASSWORD);
    Http.Admin a = node.admin();
    Http.Admin.expect(201, a.post("/sites", new JsonObject().put("name", "shop").put("hosts", new JsonArray().add("shop.test"))));
    Http.Admin.expect(201, a.post("/upstreams", new JsonObject().put("name", "shop-be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", first.port())))));
    Http.Admin.expect(201, a.post("/routes", new JsonObject().put("name", "shop").put("site", "shop").put("upstream", "shop-be")));
    ui = DashboardBrowser.open("http://127.0.0.1:" + node.node().adminPort());
    ui.signIn("admin", PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (ui != null) {
      ui.close();
    }
    if (node != null) {
      node.close();
    }
    for (TestBackend b : new TestBackend[] {first, second}) {
      if (b != null) {
        b.close();
      }
    }
  }

  static JsonObject get(String path) {
    return Http.Admin.expect(200, node.admin().get(path)).json();
  }

  static Http.Response viaProxy(String path, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Host";
    all[1] = "shop.test";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return Http.get(node.proxy() + path, all);
  }

  @Test
  @Order(1)
  void editsASiteInPlaceAndShowsTheApisMessageNextToTheField() {
    ui.go("#/site/shop");
    WebElement f = ui.form("Edit site shop");
    ui.fill(f, Map.of("Hosts", "shop.test, Not A Host!"));
    f.submit();
    ui.wait.until(d -> !ui.fieldError(ui.form("Edit site shop"), "Hosts").isEmpty());
    assertThat(ui.fieldError(ui.form("Edit site shop"), "Hosts")).contains("Not A Host!");
    assertThat(get("/sites/shop").getJsonArray("hosts")).as("nothing written").containsExactly("shop.test");
    ui.shot("edit/01-site-field-error");
    ui.clearConsole(); // the 400 was the point

    f = ui.form("Edit site shop");
    ui.fill(f, Map.of("Hosts", "shop.test, www.shop.test"));
    ui.check(f, "Enabled (a disabled site answers 404 for its hosts)", false);
    f.submit();
    ui.wait.until(d -> get("/sites/shop").getBoolean("enabled") == Boolean.FALSE);
    assertThat(get("/sites/shop").getJsonArray("hosts")).containsExactly("shop.test", "www.shop.test");
    ui.find(By.xpath("//main//dd//span[normalize-space()='disabled']"));
    assertThat(viaProxy("/x").status()).as("a disabled site").isEqualTo(404);
    ui.click(By.xpath("//button[normalize-space()='Enable site']"));
    ui.wait.until(d -> get("/sites/shop").getBoolean("enabled") == Boolean.TRUE);
    ui.find(By.xpath("//main//dd//span[normalize-space()='enabled']"));
    assertThat(ui.consoleErrors(m -> false)).isEmpty();
  }

  @Test
  @Order(2)
  void editsARoutesMatchRulesRewriteAndForwarding() {
    ui.go("#/route/shop?edit");
    WebElement f = ui.form("Edit route shop");
    ui.fill(f, Map.of("Rewrite", "no-slash"));
    f.submit();
    ui.wait.until(d -> !ui.fieldError(ui.form("Edit route shop"), "Rewrite").isEmpty());
    assertThat(ui.fieldError(ui.form("Edit route shop"), "Rewrite")).contains("must start with '/'");
    ui.clearConsole();

    f = ui.form("Edit route shop");
    ui.fill(f, Map.of("Path rule", "Path starts with", "Path prefix", "/api", "Methods", "GET, POST",
        "Required headers", "X-Env: prod", "Priority", "7", "Rewrite", "/v2"));
    ui.check(f, "Strip the prefix (/api/users → /users)", true);
    ui.check(f, "Send the client’s Host header upstream", true);
    f.submit();
    ui.wait.until(d -> get("/routes/shop").getInteger("priority") == 7);
    JsonObject r = get("/routes/shop");
    assertThat(r.getJsonObject("match").getString("pathPrefix")).isEqualTo("/api");
    assertThat(r.getJsonObject("match").getJsonArray("methods")).containsExactly("GET", "POST");
    assertThat(r.getJsonObject("match").getJsonObject("headers").getString("x-env")).isEqualTo("prod");
    assertThat(r.getBoolean("stripPrefix")).isTrue();
    assertThat(r.getString("rewrite")).isEqualTo("/v2");
    assertThat(r.getBoolean("preserveHost")).isTrue();
    JsonObject seen = viaProxy("/api/items?x=1", "X-Env", "prod").json();
    assertThat(seen.getString("uri")).startsWith("/v2").endsWith("/items?x=1");
    assertThat(seen.getJsonObject("headers").getString("host")).isEqualTo("shop.test");
    assertThat(viaProxy("/api/items").status()).as("without the required header").isEqualTo(404);

    ui.go("#/routes");
    ui.heading("Routes");
    WebElement row = ui.find(By.xpath("//main//tr[td[normalize-space()='shop'][1]]"));
    assertThat(row.getText()).contains("shop").contains("/api/* · GET|POST · x-env: prod")
        .contains("strip /api, rewrite → /v2, client Host");
    assertThat(ui.driver.findElements(By.xpath("//main//th[normalize-space()='Site']"))).hasSize(1);
    ui.shot("edit/02-routes-list");

    // An exact path instead of a prefix: strip-prefix no longer applies.
    ui.go("#/route/shop?edit");
    f = ui.form("Edit route shop");
    ui.fill(f, Map.of("Path rule", "Path is exactly"));
    ui.fill(f, Map.of("Exact path", "/exact", "Rewrite", "", "Methods", "", "Required headers", ""));
    ui.check(f, "Strip the prefix (/api/users → /users)", false);
    f.submit();
    ui.wait.until(d -> "/exact".equals(get("/routes/shop").getJsonObject("match").getString("path")));
    assertThat(get("/routes/shop").getJsonObject("match").containsKey("pathPrefix")).isFalse();
    assertThat(get("/routes/shop").getValue("rewrite")).isNull();
    assertThat(ui.consoleErrors(m -> false)).isEmpty();
  }

  @Test
  @Order(3)
  void editsAnUpstreamsTargetsWeightsTimeoutsAndActiveCheck() {
    ui.go("#/upstream/shop-be?edit");
    WebElement f = ui.form("Edit upstream shop-be");
    ui.press(f.findElement(By.xpath(".//button[normalize-space()='Add a target']")));
    ui.fill(f, Map.of("Host of target 2", "127.0.0.1", "Port of target 2", "70000", "Weight of target 2", "3"));
    f.submit();
    ui.wait.until(d -> !ui.fieldError(ui.form("Edit upstream shop-be"), "Port of target 2").isEmpty());
    assertThat(ui.fieldError(ui.form("Edit upstream shop-be"), "Port of target 2")).contains("65535");
    assertThat(get("/upstreams/shop-be").getJsonArray("targets")).as("nothing written").hasSize(1);
    ui.shot("edit/03-upstream-target-error");
    ui.clearConsole();

    f = ui.form("Edit upstream shop-be");
    ui.fill(f, Map.of("Port of target 2", String.valueOf(second.port()), "Connect timeout (ms)", "1500"));
    ui.openGroup(f, "Active health check");
    ui.check(f, "Check targets actively", true);
    ui.fill(f, Map.of("Path", "/health-check", "Every (ms)", "1000"));
    f.submit();
    ui.wait.until(d -> get("/upstreams/shop-be").getJsonArray("targets").size() == 2);
    JsonObject u = get("/upstreams/shop-be");
    assertThat(u.getJsonArray("targets").getJsonObject(1).getInteger("port")).isEqualTo(second.port());
    assertThat(u.getJsonArray("targets").getJsonObject(1).getInteger("weight")).isEqualTo(3);
    assertThat(u.getInteger("connectTimeoutMs")).isEqualTo(1500);
    assertThat(u.getJsonObject("healthCheck").getJsonObject("active").getString("path")).isEqualTo("/health-check");
    assertThat(u.getJsonObject("healthCheck").getJsonObject("active").getInteger("intervalMs")).isEqualTo(1000);
    ui.find(By.xpath("//main//td//code[normalize-space()='127.0.0.1:" + second.port() + "']"));
    ui.shot("edit/04-upstream-two-targets");

    // Removing the first target and switching the active check off again.
    ui.go("#/upstream/shop-be?edit");
    f = ui.form("Edit upstream shop-be");
    ui.press(f.findElement(By.xpath(".//button[@aria-label='Remove this target']")));
    ui.openGroup(f, "Active health check");
    ui.check(f, "Check targets actively", false);
    f.submit();
    ui.wait.until(d -> get("/upstreams/shop-be").getJsonArray("targets").size() == 1);
    u = get("/upstreams/shop-be");
    assertThat(u.getJsonArray("targets").getJsonObject(0).getInteger("port")).isEqualTo(second.port());
    assertThat(u.getJsonObject("healthCheck").getValue("active")).isNull();
    assertThat(viaProxy("/exact").json().getString("backend")).isEqualTo("second");
    assertThat(ui.consoleErrors(m -> false)).isEmpty();
  }

  @Test
  @Order(4)
  void editsABindingsConfigurationAndSwitchesItOffAndOn() {
    Http.Admin.expect(201, node.admin().post("/plugins/stamp/bindings", new JsonObject().put("scope", "route").put("target", "shop")
        .put("config", new JsonObject().put("label", "one"))));
    assertThat(viaProxy("/exact").header("x-stamp")).isEqualTo("s:one");
    ui.go("#/plugin/stamp");
    ui.heading("Plugin stamp");
    ui.click(By.xpath("//a[@aria-label='Edit binding route shop']"));
    WebElement f = ui.form("Edit binding");
    assertThat(ui.field(f, "label (required)").getAttribute("value")).as("filled from the binding").isEqualTo("one");
    ui.fill(f, Map.of("label (required)", "a label far longer than twenty"));
    f.submit();
    ui.wait.until(d -> !ui.fieldError(ui.form("Edit binding"), "label (required)").isEmpty());
    ui.shot("edit/05-binding-config-error");
    ui.clearConsole();

    f = ui.form("Edit binding");
    ui.fill(f, Map.of("label (required)", "two", "Priority", "50"));
    ui.check(f, "Fail open (skip it when it fails or is missing, instead of answering 5xx)", true);
    f.submit();
    ui.find(By.xpath("//main//td[normalize-space()='label=two']"));
    JsonObject b = binding();
    assertThat(b.getJsonObject("config").getString("label")).isEqualTo("two");
    assertThat(b.getInteger("priority")).isEqualTo(50);
    assertThat(b.getBoolean("failOpen")).isTrue();
    assertThat(viaProxy("/exact").header("x-stamp")).isEqualTo("s:two");

    ui.click(By.xpath("//button[@aria-label='Disable binding route shop']"));
    ui.wait.until(d -> binding().getBoolean("enabled") == Boolean.FALSE);
    ui.find(By.xpath("//button[@aria-label='Enable binding route shop']"));
    assertThat(viaProxy("/exact").header("x-stamp")).as("a disabled binding does not run").isNull();
    ui.shot("edit/06-binding-disabled");
    ui.click(By.xpath("//button[@aria-label='Enable binding route shop']"));
    ui.wait.until(d -> binding().getBoolean("enabled") == Boolean.TRUE);
    assertThat(viaProxy("/exact").header("x-stamp")).isEqualTo("s:two");
    assertThat(ui.consoleErrors(m -> false)).isEmpty();
  }

  @Test
  @Order(5)
  void disablesAndEnablesAPluginEverywhere() {
    ui.go("#/plugins");
    ui.heading("Plugins");
    ui.click(By.xpath("//button[@aria-label='Disable plugin stamp']"));
    ui.wait.until(ExpectedConditions.alertIsPresent()).accept();
    ui.wait.until(d -> get("/plugins/stamp").getBoolean("enabled") == Boolean.FALSE);
    ui.find(By.xpath("//main//tr[td[normalize-space()='stamp']]//span[normalize-space()='DISABLED']"));
    assertThat(viaProxy("/exact").header("x-stamp")).as("a disabled plugin runs nowhere").isNull();
    ui.shot("edit/07-plugin-disabled");
    ui.click(By.xpath("//button[@aria-label='Enable plugin stamp']"));
    ui.wait.until(d -> get("/plugins/stamp").getBoolean("enabled") == Boolean.TRUE);
    ui.find(By.xpath("//main//tr[td[normalize-space()='stamp']]//span[normalize-space()='STARTED']"));
    assertThat(viaProxy("/exact").header("x-stamp")).isEqualTo("s:two");
    assertThat(ui.consoleErrors(m -> false)).isEmpty();
  }

  static JsonObject binding() {
    JsonArray items = get("/plugins/stamp/bindings").getJsonArray("items");
    assertThat(items.size()).isEqualTo(1);
    return items.getJsonObject(0);
  }
}
