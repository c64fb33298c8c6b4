package io.frontdesk.store;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A write checks the whole configuration it commits; the plugin code of that check never runs on an event loop. */
class WriteValidationTest {

  static final Queue<String> onEventLoop = new ConcurrentLinkedQueue<>();
  static final AtomicInteger calls = new AtomicInteger();

  static void note(String what) {
    calls.incrementAndGet();
    if (Context.isOnEventLoopThread()) {
      onEventLoop.add(what + " on " + Thread.currentThread().getName());
    }
  }

  /** A filter plugin that notes where its schema and factory are used. */
  static final class SpyFilter implements FilterFactory {
    @Override
    public int defaultPriority() {
      return 100;
    }

    @Override
    public JsonObject configSchema() {
      note("filter schema");
      return new JsonObject().put("type", "object");
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      note("filter create");
      return new Filter() {
      };
    }
  }

  /** A balancer plugin that notes where its factory runs, and refuses {@code {"refuse": true}}. */
  static final class SpyBalancer implements LoadBalancerFactory {
    @Override
    public String algorithm() {
      return "spy";
    }

    @Override
    public LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
      note("balancer create");
      if (config.getBoolean("refuse", false)) {
        throw new IllegalArgumentException("the spy refuses this configuration");
      }
      return (candidates, request) -> candidates.get(0);
    }
  }

  static TestNode node;
  static Http.Admin api;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    api = node.admin();
    node.node().pluginHost().registerInProcess("spy-filter", "1",
        new PluginRegistry.Extensions(new SpyFilter(), null, List.of()));
    node.node().pluginHost().registerInProcess("spy-balancer", "1",
        new PluginRegistry.Extensions(null, null, List.of(new SpyBalancer())));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject site(String name) {
    return new JsonObject().put("name", name).put("hosts", new JsonArray().add(name + ".test"));
  }

  @Test
  void pluginCodeOfAWritesCheckRunsOffTheEventLoop() {
    int before = calls.get();
    expect(201, api.post("/upstreams", new JsonObject().put("name", "spied").put("algorithm", "spy")
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 9)))));
    expect(201, api.post("/sites", site("spied")));
    expect(201, api.post("/routes", new JsonObject().put("name", "spied").put("site", "spied")
        .put("upstream", "spied").put("match", new JsonObject().put("pathPrefix", "/"))));
    expect(201, api.post("/plugins/spy-filter/bindings", new JsonObject().put("scope", "site").put("target", "spied")));
    // An unrelated write with the binding and the balancer stored: the store checks the whole document.
    expect(201, api.post("/sites", site("unrelated")));

    assertThat(calls.get()).as("the plugins were consulted").isGreaterThan(before);
    assertThat(onEventLoop).isEmpty();
  }

  @Test
  void aWriteThatNoNodeCouldLoadIsRefusedAndStoresNothing() {
    // Only the balancer's own create refuses this; the input check sees a valid upstream.
    Http.Response refused = api.post("/upstreams", new JsonObject().put("name", "refused").put("algorithm", "spy")
        .put("algorithmConfig", new JsonObject().put("refuse", true))
        .put("targets", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", 9))));
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("upstreams.refused.algorithmConfig").contains("the spy refuses");
    assertThat(api.get("/upstreams/refused").status()).isEqualTo(404);
  }
}
