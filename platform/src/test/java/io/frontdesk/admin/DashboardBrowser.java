package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
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
 * A headless Chromium (Debian's chromium and chromedriver) on the dashboard, with the steps the
 * browser tests share: signing in, finding form fields by their labels, screenshots (light and
 * dark), the console's errors, and the checks every page must pass. Without chromium the calling
 * test is skipped, unless FRONTDESK_REQUIRE_BROWSER is set (CI sets it, so there a missing browser
 * fails).
 */
final class DashboardBrowser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final int WIDE = 1280;
  static final int TABLET = 768;
  static final int HEIGHT = 800;

  final ChromeDriver driver;
  final WebDriverWait wait;
  final String base;

  private DashboardBrowser(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
    // A page re-renders while a test waits on it; an element read just before that is stale, not wrong.
    this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class);
  }

  /** Skips the calling test class when chromium is missing (fails instead where it is required). */
  static void assumeChromium() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("FRONTDESK_REQUIRE_BROWSER") != null) {
      assertThat(present).as("chromium and chromedriver in /usr/bin (apt-get install chromium chromium-driver)").isTrue();
    }
    Assumptions.assumeTrue(present, "chromium and chromedriver are not installed; skipping the browser tests");
  }

  /** @param base the admin server, {@code http://127.0.0.1:<port>} */
  static DashboardBrowser open(String base) {
    assumeChromium();
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=" + WIDE + "," + HEIGHT,
        "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new DashboardBrowser(new ChromeDriver(service, o), base);
  }

  @Override
  public void close() {
    driver.quit();
  }

  // ---------------------------------------------------------------------------------------------
  // Navigation and finding things

  /** Opens a page; the same address again is reloaded, so the page is always drawn afresh. */
  void go(String hash) {
    String url = base + "/" + hash;
    if (driver.getCurrentUrl().equals(url)) {
      driver.navigate().refresh();
    } else {
      driver.get(url);
    }
    awaitShown();
  }

  /** Waits until the page for the current address is drawn (or the sign-in form is shown). */
  void awaitShown() {
    wait.until(d -> (Boolean) js("const m = document.getElementById('main');"
        + "return !!m && (!!document.querySelector('.login form') || (m.dataset.shown === location.hash"
        + " && !m.hasAttribute('aria-busy')));"));
  }

  WebElement heading(String text) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//h1[normalize-space()='" + text + "']")));
  }

  WebElement find(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void click(By by) {
    press(wait.until(ExpectedConditions.elementToBeClickable(by)));
  }

  /** Clicks an element after scrolling it to the middle of the window, clear of the sticky header. */
  void press(WebElement element) {
    js("arguments[0].scrollIntoView({block: 'center'});", element);
    element.click();
  }

  /**
   * Signs in on the sign-in page (which must be shown) and waits for the landing page; the console
   * starts empty after it (the session check before sign-in answers 401 on purpose, and the
   * overview is checked by the tests that visit it).
   */
  void signIn(String name, String password) {
    driver.get(base + "/");
    WebElement login = find(By.cssSelector(".login form"));
    fill(login, Map.of("Account", name, "Password", password));
    login.submit();
    heading("Overview");
    clearConsole();
  }

  /** The input of the form field labelled {@code label}, inside {@code scope}. */
  WebElement field(WebElement scope, String label) {
    WebElement l = scope.findElement(By.xpath(".//label[normalize-space()='" + label + "']"));
    return scope.findElement(By.id(l.getAttribute("for")));
  }

  /** The error shown under the field labelled {@code label}. */
  String fieldError(WebElement scope, String label) {
    WebElement input = field(scope, label);
    List<WebElement> next = input.findElements(By.xpath("following-sibling::div[@class='error']"));
    return (next.isEmpty() ? input.findElement(By.xpath("ancestor::div[contains(@class,'field')][1]//div[@class='error']"))
        : next.get(0)).getText();
  }

  void fill(WebElement form, Map<String, String> values) {
    values.forEach((k, v) -> {
      WebElement f = field(form, k);
      if (f.getTagName().equals("select")) {
        new Select(f).selectByVisibleText(v);
      } else {
        f.clear();
        f.sendKeys(v);
      }
    });
  }

  void check(WebElement form, String label, boolean on) {
    WebElement box = field(form, label);
    if (box.isSelected() != on) {
      press(box);
    }
  }

  /** Opens the group of a form whose summary reads {@code legend}, if it is a collapsed one. */
  void openGroup(WebElement form, String legend) {
    for (WebElement details : form.findElements(By.xpath(".//details[summary[normalize-space()='" + legend + "']]"))) {
      if (details.getAttribute("open") == null) {
        press(details.findElement(By.tagName("summary")));
      }
    }
  }

  /** The form named {@code label} (its aria-label). */
  WebElement form(String label) {
    return find(By.cssSelector("main form[aria-label='" + label + "']"));
  }

  WebElement lastForm() {
    List<WebElement> forms = driver.findElements(By.cssSelector("main form"));
    return forms.get(forms.size() - 1);
  }

  /** Reloads until {@code what} shows up (the access log is written in batches). */
  void refreshUntilPresent(By what) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
      if (!d.findElements(what).isEmpty()) {
        return true;
      }
      d.navigate().refresh();
      return false;
    });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  // ---------------------------------------------------------------------------------------------
  // Looks: sizes, colour scheme, screenshots

  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Emulates the system's dark (or light) colour scheme, as prefers-color-scheme sees it. */
  void darkMode(boolean dark) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  void shot(String name) {
    try {
      Path file = Path.of(System.getProperty("frontdesk.screenshots", "target/screenshots")).resolve(name + ".png");
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What every page must get right

  String bodyText() {
    return (String) js("return document.body.innerText;");
  }

  /** How far the page scrolls sideways (0 when it fits). */
  int sidewaysOverflow() {
    return ((Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).intValue();
  }

  /** Reads and clears the console; answers its SEVERE entries that {@code expected} does not accept. */
  List<String> consoleErrors(Predicate<String> expected) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(expected.negate())
        .toList();
  }

  /** Forgets what the console has logged so far (after a step that fails on purpose). */
  void clearConsole() {
    driver.manage().logs().get(LogType.BROWSER);
  }

  /** The page shows no "null"/"undefined", fits the window and logged no unexpected errors. */
  void assertClean(String page, Predicate<String> expectedErrors) {
    String text = bodyText();
    assertThat(text).as(page + ": text shown").doesNotContainPattern("\\bnull\\b").doesNotContainPattern("\\bundefined\\b")
        .doesNotContain("NaN").doesNotContain("[object ");
    assertThat(sidewaysOverflow()).as(page + " scrolls sideways by px").isLessThanOrEqualTo(0);
    assertThat(consoleErrors(expectedErrors)).as(page + ": console errors").isEmpty();
  }
}
