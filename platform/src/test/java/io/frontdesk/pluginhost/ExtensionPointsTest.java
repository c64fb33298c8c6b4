package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plugins that choose targets and receive access-log records. */
class ExtensionPointsTest {

  static final ConcurrentLinkedQueue<AccessLogRecord> COLLECTED = new ConcurrentLinkedQueue<>();

  /** Keeps every record it gets. */
  static final class Collector implements LogSinkFactory {
    @Override
    public LogSink create(JsonObject config, PluginContext context) {
      return COLLECTED::add;
    }
  }

  /** Throws on every record. */
  static final class Faulty implements LogSinkFactory {
    @Override
    public LogSink create(JsonObject config, PluginContext context) {
      return r -> {
        throw new IllegalStateException("sink down");
      };
    }
  }

  /** Always picks the last candidate. */
  static final class Last implements LoadBalancerFactory {
    @Override
    public String algorithm() {
      return "last-target";
    }

    @Override
    public LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
      return (List<UpstreamTarget> candidates, io.frontdesk.api.lb.BalancerContext request) -> candidates.get(candidates.size() - 1);
    }
  }

  /** Remembers the binding ids it made filters for and whether responses came from the upstream. */
  static final class Probe implements io.frontdesk.api.filter.FilterFactory {
    static final ConcurrentLinkedQueue<String> BINDINGS = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    public int defaultPriority() {
      return 500;
    }

    @Override
    public io.frontdesk.api.filter.Filter create(JsonObject config, PluginContext context) {
      BINDINGS.add(String.valueOf(context.bindingId()));
      return new io.frontdesk.api.filter.Filter() {
        @Override
        public io.vertx.core.Future<io.frontdesk.api.filter.FilterResult> onResponse(Exchange ex) {
          SEEN.add(ex.response().status() + " " + ex.response().fromUpstream());
          return io.frontdesk.api.filter.FilterResult.proceed();
        }
      };
    }
  }

  static TestNode node;
  static TestBackend one;
  static TestBackend two;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    one = TestBackend.start("one");
    two = TestBackend.start("two");
    PluginHost host = node.node().pluginHost();
    host.registerInProcess("collector", "1", new PluginRegistry.Extensions(null, new Collector(), List.of()));
    host.registerInProcess("faulty", "1", new PluginRegistry.Extensions(null, new Faulty(), List.of()));
    host.registerInProcess("last", "1", new PluginRegistry.Extensions(null, null, List.of(new Last())));
    host.registerInProcess("slowpoke", "1", new PluginRegistry.Extensions(new TestFilters.Slowpoke(), null, List.of()));
    host.registerInProcess("probe", "1", new PluginRegistry.Extensions(new Probe(), null, List.of()));
  }

  @AfterAll
  static void stop() {
    node.close();
    one.close();
    two.close();
  }

  static JsonObject pool(String name, String algorithm) {
    return new JsonObject().put("name", name).put("algorithm", algorithm).put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", one.port()))
        .add(new JsonObject().put("host", "127.0.0.1").put("port", two.port())));
  }

  @Test
  void aBalancerPluginChoosesTheTarget() {
    Http.Admin api = node.admin();
    expect(201, api.post("/upstreams", pool("lb", "last-target")));
    expect(201, api.post("/sites", new JsonObject().put("name", "lb").put("hosts", new JsonArray().add("lb.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "lb").put("site", "lb").put("upstream", "lb")));
    for (int i = 0; i < 10; i++) {
      assertThat(Http.get(node.proxy() + "/", "Host", "lb.test").header("x-backend")).isEqualTo("two");
    }
  }

  @Test
  void logSinksGetEveryRecordOfTheirScopeWithTimingsAndAttributes() throws Exception {
    Http.Admin api = node.admin();
    expect(201, api.post("/upstreams", pool("logged", "weighted-round-robin")));
    expect(201, api.post("/sites", new JsonObject().put("name", "logged").put("hosts", new JsonArray().add("logged.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "logged").put("site", "logged").put("upstream", "logged")));
    expect(201, api.post("/routes", new JsonObject().put("name", "quiet").put("site", "logged").put("upstream", "logged")
        .put("match", new JsonObject().put("pathPrefix", "/quiet"))));
    expect(201, api.post("/plugins/slowpoke/bindings", new JsonObject().put("scope", "route").put("target", "logged")));
    JsonObject binding = expect(201, api.post("/plugins/collector/bindings", new JsonObject().put("scope", "route")
        .put("target", "logged"))).json();
    assertThat(binding.getString("kind")).isEqualTo("logSink");
    expect(201, api.post("/plugins/faulty/bindings", new JsonObject().put("scope", "global")));
    Thread.sleep(300); // sinks start on a worker after the swap

    COLLECTED.clear();
    Http.Response r = Http.get(node.proxy() + "/path?token=secret&x=1", "Host", "logged.test", "User-Agent", "tests/1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(Http.get(node.proxy() + "/quiet", "Host", "logged.test").status()).isEqualTo(200);
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (COLLECTED.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    assertThat(COLLECTED).hasSize(1); // the route binding sees only its route
    AccessLogRecord rec = COLLECTED.peek();
    assertThat(rec.requestId()).isEqualTo(r.header("x-request-id"));
    assertThat(rec.site()).isEqualTo("logged");
    assertThat(rec.route()).isEqualTo("logged");
    assertThat(rec.upstream()).isEqualTo("logged");
    assertThat(rec.target()).startsWith("127.0.0.1:");
    assertThat(rec.status()).isEqualTo(200);
    assertThat(rec.path()).isEqualTo("/path");
    assertThat(rec.query()).isEqualTo("token=REDACTED&x=1");
    assertThat(rec.userAgent()).isEqualTo("tests/1");
    assertThat(rec.clientIp()).isEqualTo("127.0.0.1");
    assertThat(rec.durationMicros()).isPositive();
    assertThat(rec.upstreamMicros()).isPositive();
    assertThat(rec.filters()).hasSize(1);
    assertThat(rec.filters().get(0).plugin()).isEqualTo("slowpoke");
    assertThat(rec.filters().get(0).requestMicros()).isGreaterThanOrEqualTo(15_000); // it sleeps 20 ms on a worker
    assertThat(rec.attributes()).containsKey("slowpoke.thread");
    assertThat(rec.toJson().getString("requestId")).isEqualTo(rec.requestId());

    // The stored row keeps the timings for the log explorer's waterfall.
    JsonObject stored = awaitStored(rec.requestId());
    JsonObject timing = stored.getJsonArray("filters").getJsonObject(0);
    assertThat(timing.getString("plugin")).isEqualTo("slowpoke");
    assertThat(timing.getLong("requestMicros")).isEqualTo(rec.filters().get(0).requestMicros());
    assertThat(timing.getString("outcome")).isEqualTo(rec.filters().get(0).outcome());
    assertThat(stored.getJsonObject("attributes").getString("slowpoke.thread"))
        .isEqualTo(rec.attributes().get("slowpoke.thread"));

    // The faulty sink fails every time; traffic does not notice.
    long[] faulty = node.node().logSinks().counters().get("faulty");
    assertThat(faulty[2]).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aFilterKnowsItsBindingAndWhetherTheResponseCameFromTheUpstream() throws Exception {
    Http.Admin api = node.admin();
    expect(201, api.post("/upstreams", pool("probed", "weighted-round-robin")));
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    expect(201, api.post("/upstreams", new JsonObject().put("name", "gone").put("targets", new JsonArray()
        .add(new JsonObject().put("host", "127.0.0.1").put("port", closed)))));
    expect(201, api.post("/sites", new JsonObject().put("name", "probed").put("hosts", new JsonArray().add("probed.test"))));
    expect(201, api.post("/routes", new JsonObject().put("name", "probed").put("site", "probed").put("upstream", "probed")));
    expect(201, api.post("/routes", new JsonObject().put("name", "gone").put("site", "probed").put("upstream", "gone")
        .put("match", new JsonObject().put("pathPrefix", "/gone"))));
    Probe.BINDINGS.clear();
    String id = expect(201, api.post("/plugins/probe/bindings", new JsonObject().put("scope", "site")
        .put("target", "probed"))).json().getString("id");
    assertThat(Probe.BINDINGS).contains(id).contains("null"); // the saved binding's filter, and the trial's

    Probe.SEEN.clear();
    assertThat(Http.get(node.proxy() + "/", "Host", "probed.test").status()).isEqualTo(200);
    assertThat(Http.get(node.proxy() + "/gone", "Host", "probed.test").status()).isEqualTo(502);
    assertThat(Probe.SEEN).containsExactly("200 true", "502 false");
  }

  static JsonObject awaitStored(String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonArray items = expect(200, node.admin().get("/logs?requestId=" + requestId)).json().getJsonArray("items");
      if (!items.isEmpty()) {
        return items.getJsonObject(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("request " + requestId + " was not stored");
  }
}
