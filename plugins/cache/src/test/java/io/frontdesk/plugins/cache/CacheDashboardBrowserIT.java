package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The cache's panel on its plugin page, with the packaged jar loaded by a real node: the empty
 * state, the statistics per binding (refreshed while shown, and no longer once left), a purge
 * through the form (a wrong value gets the API's message next to the field; a URL purge makes the
 * next request a miss), and a viewer who sees the statistics but no form. A run after the platform's
 * browser tests, which cannot load this jar (the platform builds first).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheDashboardBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String PASSWORD = "cache panel password";
  static final String PAGE = "#/plugin/cache";

  static Origin origin;
  static FrontdeskTestKit fd;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("FRONTDESK_REQUIRE_BROWSER") != null) {
      assertThat(present).as("chromium and chromedriver in /usr/bin").isTrue();
    }
    Assumptions.assumeTrue(present, "chromium and chromedriver are not installed; skipping the browser test");
    origin = new Origin();
    origin.on("/item", Origin.Reply.of(200, "an item", "Cache-Control", "max-age=600"));
    fd = FrontdeskTestKit.builder().pluginJar(Path.of(System.getProperty("plugin.jar")))
        .flag("--admin-password", PASSWORD).start();
    fd.routeTo("shop", "/", origin.port());
    base = fd.apiUrl().replace("/api/v1", "");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
        "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build(), o);
    wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class);
    signIn("admin", PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (fd != null) {
      fd.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @Test
  @Order(1)
  void withoutBindingsThePanelSaysHowToStart() {
    go(PAGE);
    WebElement stats = section("Cache statistics");
    assertThat(stats.getText()).contains("not bound anywhere").contains("Add a binding below");
    assertThat(driver.findElements(By.cssSelector("main form[aria-label='Purge the cache']")))
        .as("nothing to purge without a binding").isEmpty();
    assertClean("empty state");
  }

  @Test
  @Order(2)
  void showsTheHitRatioOfEachBinding() throws Exception {
    fd.bind("cache", "route", "shop", new JsonObject());
    awaitCacheStatus("/item");
    assertThat(fd.get("/item").header("cache-status")).startsWith("Frontdesk; hit");

    go(PAGE);
    WebElement row = statsRow("route shop");
    assertThat(cell(row, "Hit ratio")).endsWith("%").isNotEqualTo("0 %");
    assertThat(cell(row, "Hits / misses")).startsWith("1 / ");
    assertThat(cell(row, "Memory (entries · bytes)")).startsWith("1 · ");
    assertThat(cell(row, "Disk (entries · bytes)")).isEqualTo("off");
    for (boolean dark : new boolean[] {false, true}) {
      darkMode(dark);
      for (int width : new int[] {1280, 768}) {
        driver.manage().window().setSize(new Dimension(width, 800));
        assertClean("stats at " + width + (dark ? " dark" : " light"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);",
            section("Cache statistics"));
        shot("cache-panel-" + width + (dark ? "-dark" : "-light"));
      }
    }
    darkMode(false);
    driver.manage().window().setSize(new Dimension(1280, 800));
  }

  @Test
  @Order(3)
  void theStatisticsRefreshWhileThePageIsShown() {
    go(PAGE);
    assertThat(cell(statsRow("route shop"), "Hits / misses")).startsWith("1 / ");
    fd.get("/item");
    new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
        .until(d -> cell(statsRow("route shop"), "Hits / misses").startsWith("2 / "));
    assertClean("after a refresh");
  }

  @Test
  @Order(4)
  void aWrongValueGetsTheApisMessageNextToTheField() {
    go(PAGE);
    WebElement f = purgeForm();
    new Select(field(f, "Purge by")).selectByVisibleText("URL");
    field(f, "What to purge").sendKeys("shop.example/item");
    f.submit();
    wait.until(d -> !fieldError(purgeForm(), "What to purge").isEmpty());
    assertThat(fieldError(purgeForm(), "What to purge")).contains("absolute http or https URL");
    assertThat(fd.get("/item").header("cache-status")).as("nothing purged").startsWith("Frontdesk; hit");
    consoleErrors(); // the 400 was the point
  }

  @Test
  @Order(5)
  void purgingAUrlThroughTheFormMakesTheNextRequestAMiss() {
    go(PAGE);
    WebElement f = purgeForm();
    new Select(field(f, "Purge by")).selectByVisibleText("URL");
    assertThat(field(f, "What to purge").getAttribute("placeholder")).startsWith("https://");
    field(f, "What to purge").sendKeys("http://127.0.0.1/item");
    f.submit();
    WebElement answer = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main p[role=status]")));
    assertThat(answer.getText()).contains("Purged 1 stored URL").contains("by url")
        .contains("Sent to every node sharing the database");
    assertThat(fd.get("/item").header("cache-status")).contains("fwd=uri-miss");
    wait.until(d -> cell(statsRow("route shop"), "Memory (entries · bytes)").startsWith("0 · "));
    shot("cache-panel-purged");
    assertClean("after a purge");
  }

  @Test
  @Order(6)
  void leavingThePageStopsTheRefresh() throws Exception {
    go(PAGE);
    driver.executeScript("window.statsCalls = 0; const f = window.fetch;"
        + "window.fetch = (u, o) => { if (String(u).includes('/plugins/cache/stats')) window.statsCalls++; return f(u, o); };");
    // Moving by the hash keeps this document (and the counting fetch) alive.
    navigate("#/overview");
    Thread.sleep(11_000);
    assertThat(((Number) driver.executeScript("return window.statsCalls;")).intValue())
        .as("stats fetched after the page was left").isZero();
    navigate(PAGE);
    assertThat(((Number) driver.executeScript("return window.statsCalls;")).intValue())
        .as("the page itself is counted").isPositive();
  }

  @Test
  @Order(7)
  void aViewerSeesTheStatisticsButNoPurgeForm() {
    assertThat(fd.admin("POST", "/users", new JsonObject().put("name", "vic").put("role", "viewer")
        .put("password", "viewer password 1")).status()).isEqualTo(201);
    driver.manage().deleteAllCookies();
    signIn("vic", "viewer password 1");
    go(PAGE);
    assertThat(cell(statsRow("route shop"), "Hit ratio")).endsWith("%");
    assertThat(driver.findElements(By.cssSelector("main form[aria-label='Purge the cache']"))).isEmpty();
    assertThat(driver.findElements(By.xpath("//main//h2[normalize-space()='Purge']"))).isEmpty();
    assertClean("as a viewer");
  }

  // ---------------------------------------------------------------------------------------------

  static void awaitCacheStatus(String path) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (fd.get(path).header("cache-status") == null) {
      assertThat(System.currentTimeMillis()).as("the binding applied").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static void signIn(String name, String password) {
    driver.get(base + "/");
    WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login form")));
    field(login, "Account").clear(); // it offers "admin"
    field(login, "Account").sendKeys(name);
    field(login, "Password").sendKeys(password);
    login.submit();
    try {
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[normalize-space()='Overview']")));
    } catch (RuntimeException e) {
      shot("sign-in-failed");
      throw new AssertionError("signing in as " + name + " failed; the page shows: "
          + driver.executeScript("return document.body.innerText;") + "; console: " + consoleErrors(), e);
    }
    consoleErrors();
  }

  /** Opens a page afresh and waits until the router says it is drawn. */
  static void go(String hash) {
    String url = base + "/" + hash;
    if (driver.getCurrentUrl().equals(url)) {
      driver.navigate().refresh();
    } else {
      driver.get(url);
    }
    wait.until(d -> (Boolean) driver.executeScript("const m = document.getElementById('main');"
        + "return !!m && m.dataset.shown === location.hash && !m.hasAttribute('aria-busy');"));
  }

  /** Moves to {@code hash} in the same document, as a click on a link does. */
  static void navigate(String hash) {
    driver.executeScript("location.hash = arguments[0];", hash);
    wait.until(d -> (Boolean) driver.executeScript("const m = document.getElementById('main');"
        + "return m.dataset.shown === location.hash && !m.hasAttribute('aria-busy');"));
  }

  static WebElement section(String title) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.xpath("//main//section[h2[normalize-space()='" + title + "']]")));
  }

  static WebElement statsRow(String binding) {
    return section("Cache statistics").findElement(
        By.xpath(".//tbody/tr[td[@data-label='Binding' and normalize-space()='" + binding + "']]"));
  }

  static String cell(WebElement row, String column) {
    return row.findElement(By.xpath("td[@data-label='" + column + "']")).getText().trim();
  }

  static WebElement purgeForm() {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("main form[aria-label='Purge the cache']")));
  }

  static WebElement field(WebElement scope, String label) {
    WebElement l = scope.findElement(By.xpath(".//label[normalize-space()='" + label + "']"));
    return scope.findElement(By.id(l.getAttribute("for")));
  }

  static String fieldError(WebElement form, String label) {
    return field(form, label).findElement(By.xpath("following-sibling::div[@class='error']")).getText();
  }

  static void darkMode(boolean dark) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  static void shot(String name) {
    try {
      Path file = Path.of("target", "screenshots", name + ".png");
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and clears the console: its SEVERE entries. */
  static List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  /** No "null"/"undefined" shown, no sideways scrolling, no console errors. */
  static void assertClean(String what) {
    String text = (String) driver.executeScript("return document.body.innerText;");
    assertThat(text).as(what + ": text shown").doesNotContainPattern("\\bnull\\b")
        .doesNotContainPattern("\\bundefined\\b").doesNotContain("NaN").doesNotContain("[object ");
    long overflow = (Long) driver.executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as(what + ": scrolls sideways by px").isLessThanOrEqualTo(0);
    assertThat(consoleErrors()).as(what + ": console errors").isEmpty();
  }
}
