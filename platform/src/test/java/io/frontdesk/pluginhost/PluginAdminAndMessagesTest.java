package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.PluginMessages;
import io.frontdesk.api.admin.AdminHandler;
import io.frontdesk.api.admin.AdminRequest;
import io.frontdesk.api.admin.AdminResponse;
import io.frontdesk.api.admin.MetricSample;
import io.frontdesk.api.admin.MetricsSource;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A plugin's own admin endpoints, its metrics in /metrics, and its messages between two nodes. */
class PluginAdminAndMessagesTest {

  /** A plugin that answers /api/v1/plugins/shout/..., counts in /metrics and relays messages. */
  static final class Shouting implements FilterFactory, AdminHandler, MetricsSource {
    final String node;
    final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
    volatile PluginMessages messages;

    Shouting(String node) {
      this.node = node;
    }

    @Override
    public int defaultPriority() {
      return 500;
    }

    @Override
    public Filter create(JsonObject config, PluginContext context) {
      if (messages == null) {
        messages = context.messages();
        messages.subscribe("news", heard::add);
      }
      return new Filter() {
      };
    }

    @Override
    public Future<AdminResponse> handle(AdminRequest r) {
      if (r.method().equals("POST") && r.path().equals("tell")) {
        if (r.body() == null || r.body().getString("text") == null) {
          return Future.succeededFuture(AdminResponse.invalid("text", "is required"));
        }
        return messages.publish("news", r.body().getString("text"))
            .map(v -> AdminResponse.ok(new JsonObject().put("told", r.body().getString("text")).put("by", r.actor())));
      }
      if (r.method().equals("GET") && r.path().equals("echo/x")) {
        return Future.succeededFuture(AdminResponse.ok(new JsonObject().put("q", r.query().get("q").get(0))));
      }
      return Future.succeededFuture(AdminResponse.notFound("no " + r.path()));
    }

    @Override
    public List<MetricSample> samples() {
      return List.of(new MetricSample("shout_heard_total", "Messages heard", true, Map.of("node", node),
          heard.size()));
    }
  }

  static TestNode one;
  static TestNode two;
  static Shouting onOne = new Shouting("one");
  static Shouting onTwo = new Shouting("two");

  @BeforeAll
  static void start() {
    one = TestNode.start();
    two = TestNode.onDatabase(one.dbUrl());
    one.node().pluginHost().registerInProcess("shout", "1", new PluginRegistry.Extensions(onOne, null, List.of()));
    two.node().pluginHost().registerInProcess("shout", "1", new PluginRegistry.Extensions(onTwo, null, List.of()));
    one.admin().simpleRoute("shouted", "shouted.test", 9); // filters are made for routes
    expect(201, one.admin().post("/plugins/shout/bindings", new JsonObject().put("scope", "global")));
  }

  @AfterAll
  static void stop() {
    one.close();
    two.close();
  }

  @Test
  void aPluginAnswersItsOwnAdminPathsBesideThePlatformsOnes() {
    Http.Response r = one.admin().get("/plugins/shout/echo/x?q=hi");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("q")).isEqualTo("hi");
    assertThat(one.admin().get("/plugins/shout/nothing").status()).isEqualTo(404);
    assertThat(one.admin().get("/plugins/shout").json().getString("id")).isEqualTo("shout"); // the platform's own
    assertThat(one.admin().get("/plugins/nobody/echo/x").status()).isEqualTo(404);
    Http.Response bad = one.admin().post("/plugins/shout/tell", new JsonObject());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("text");
    assertThat(Http.get(one.adminBase() + "/api/v1/plugins/shout/echo/x?q=1").status()).isEqualTo(401);
  }

  @Test
  void aMessageReachesTheInstancesOnEveryNodeAndTheirMetricsShow() throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (onTwo.messages == null) { // node two made its filter once it applied the binding
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      Thread.sleep(20);
    }
    Http.Response told = one.admin().post("/plugins/shout/tell", new JsonObject().put("text", "purge /a"));
    assertThat(told.status()).isEqualTo(200);
    assertThat(told.json().getString("by")).isNotBlank();
    while (!onOne.heard.contains("purge /a") || !onTwo.heard.contains("purge /a")) {
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(Http.get(two.adminBase() + "/metrics").body())
        .contains("# TYPE frontdesk_shout_heard_total counter")
        .contains("frontdesk_shout_heard_total{node=\"two\"} 1.0");
  }
}
