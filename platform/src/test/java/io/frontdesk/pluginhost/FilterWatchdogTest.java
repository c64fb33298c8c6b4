package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A filter that holds its event loop is named (log, metrics, binding state) and its binding is
 * tripped: later requests get 503 (or skip it when fail-open) instead of waiting behind it, until
 * an operator resets the binding.
 */
class FilterWatchdogTest {

  static TestNode node;
  static Http.Admin api;
  static TestBackend backend;
  static TestFilters.Hog hog = new TestFilters.Hog();
  static TestFilters.Hog openHog = new TestFilters.Hog();
  static TestFilters.Hog bodyHog = new TestFilters.Hog();
  static ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeAll
  static void start() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(FilterWatchdog.class)).addAppender(logged);
    node = TestNode.start("--filter-stall", "500ms");
    api = node.admin();
    backend = TestBackend.start("watchdog-be");
    node.node().pluginHost().registerInProcess("hog", "1", new PluginRegistry.Extensions(hog, null, List.of()));
    node.node().pluginHost().registerInProcess("open-hog", "1", new PluginRegistry.Extensions(openHog, null, List.of()));
    node.node().pluginHost().registerInProcess("body-hog", "1", new PluginRegistry.Extensions(bodyHog, null, List.of()));
    expect(201, api.post("/upstreams", new JsonObject().put("name", "be").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", backend.port())))));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(FilterWatchdog.class)).detachAppender(logged);
    node.close();
    backend.close();
  }

  static String site(String name) {
    expect(201, api.post("/sites", new JsonObject().put("name", name).put("hosts", new JsonArray().add(name + ".test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", name).put("site", name).put("upstream", "be")));
    return name;
  }

  static Http.Response get(String site, String... headers) {
    String[] h = new String[headers.length + 2];
    h[0] = "Host";
    h[1] = site + ".test";
    System.arraycopy(headers, 0, h, 2, headers.length);
    return Http.get(node.proxy() + "/", h);
  }

  static boolean eventually(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.get();
  }

  @Test
  void aFilterHoldingItsLoopIsNamedAndTrippedUntilReset() throws Exception {
    site("hogged");
    String id = expect(201, api.post("/plugins/hog/bindings", new JsonObject().put("scope", "route")
        .put("target", "hogged").put("config", new JsonObject().put("holdMs", 2500)))).json().getString("id");
    assertThat(get("hogged").status()).isEqualTo(200);
    assertThat(api.get("/plugins/hog/bindings/" + id).json().getJsonObject("stall").getBoolean("tripped")).isFalse();

    // One request makes the filter hold its loop for 2.5 s (the stall threshold is 0.5 s).
    CompletableFuture<Http.Response> held = CompletableFuture.supplyAsync(() -> get("hogged", "x-hog", "1"));
    assertThat(eventually(() -> api.get("/plugins/hog/bindings/" + id).json().getJsonObject("stall")
        .getBoolean("tripped"))).as("the watchdog tripped the binding").isTrue();
    assertThat(held.get(30, TimeUnit.SECONDS).status()).as("the call already running completes").isEqualTo(200);

    JsonObject stall = api.get("/plugins/hog/bindings/" + id).json().getJsonObject("stall");
    assertThat(stall.getString("reason")).contains("held event loop");
    assertThat(stall.getString("since")).isNotNull();
    assertThat(logged.list).anySatisfy(e -> {
      assertThat(e.getLevel().toString()).isEqualTo("WARN");
      assertThat(e.getFormattedMessage()).contains("plugin 'hog'").contains(id);
      assertThat(e.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty(); // the loop's stack
    });
    assertThat(Http.get(node.adminBase() + "/metrics").body()).containsPattern(
        "frontdesk_plugin_stalls_total\\{[^}]*plugin=\"hog\"[^}]*} 1\\.0");
    assertThat(api.get("/plugins/hog").json().getJsonObject("stats").getLong("stalls")).isEqualTo(1L);

    // Later requests no longer run it: 503 at once, even those that would hog.
    int callsBefore = hog.calls.get();
    Http.Response refused = get("hogged", "x-hog", "1");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(hog.calls.get()).isEqualTo(callsBefore);

    // An operator resets it: it runs again.
    JsonObject reset = expect(200, api.post("/plugins/hog/bindings/" + id + "/reset", null)).json();
    assertThat(reset.getBoolean("wasTripped")).isTrue();
    assertThat(reset.getJsonObject("stall").getBoolean("tripped")).isFalse();
    assertThat(get("hogged").status()).isEqualTo(200);
    assertThat(hog.calls.get()).isEqualTo(callsBefore + 1);
  }

  @Test
  void aFailOpenBindingThatHoldsItsLoopIsSkippedOnceTripped() throws Exception {
    site("open-hogged");
    String id = expect(201, api.post("/plugins/open-hog/bindings", new JsonObject().put("scope", "route")
        .put("target", "open-hogged").put("failOpen", true).put("config", new JsonObject().put("holdMs", 2000))))
        .json().getString("id");
    assertThat(get("open-hogged", "x-hog", "1").status()).isEqualTo(200);
    assertThat(eventually(() -> api.get("/plugins/open-hog/bindings/" + id).json().getJsonObject("stall")
        .getBoolean("tripped"))).isTrue();
    int callsBefore = openHog.calls.get();
    assertThat(get("open-hogged", "x-hog", "1").status()).as("skipped, not waited for").isEqualTo(200);
    assertThat(openHog.calls.get()).isEqualTo(callsBefore);
    expect(404, api.post("/plugins/open-hog/bindings/00000000-0000-0000-0000-000000000000/reset", null));

    // Disabling and enabling the binding again (a config change every node sees) also restores it.
    int closesBefore = openHog.closes.get();
    expect(200, api.patch("/plugins/open-hog/bindings/" + id, new JsonObject().put("enabled", false)));
    // Two closes: the trial filter of the PATCH, and the tripped filter once its snapshot drained.
    assertThat(eventually(() -> openHog.closes.get() >= closesBefore + 2)).as("the tripped filter was released")
        .isTrue();
    expect(200, api.patch("/plugins/open-hog/bindings/" + id, new JsonObject().put("enabled", true)));
    assertThat(api.get("/plugins/open-hog/bindings/" + id).json().getJsonObject("stall").getBoolean("tripped")).isFalse();
    assertThat(get("open-hogged").status()).isEqualTo(200);
    assertThat(openHog.calls.get()).isEqualTo(callsBefore + 1);
  }

  @Test
  void aBodyTransformerHoldingItsLoopTripsTheBindingOfTheFilterThatAddedIt() throws Exception {
    site("body-hogged");
    String id = expect(201, api.post("/plugins/body-hog/bindings", new JsonObject().put("scope", "route")
        .put("target", "body-hogged").put("config", new JsonObject().put("holdMs", 2000)))).json().getString("id");
    CompletableFuture<Http.Response> held = CompletableFuture.supplyAsync(() -> get("body-hogged", "x-hog-body", "1"));
    assertThat(eventually(() -> api.get("/plugins/body-hog/bindings/" + id).json().getJsonObject("stall")
        .getBoolean("tripped"))).as("the watchdog saw the transformer").isTrue();
    assertThat(held.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(get("body-hogged").status()).as("tripped: later requests do not run it").isEqualTo(503);
  }
}
