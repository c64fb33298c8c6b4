package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Saving a binding runs the plugin's trial create off the admin event loop, bounded in time. */
class BindingTrialTest {

  static TestNode node;
  static TestFilters.BlockingCreate blocking = new TestFilters.BlockingCreate();

  @BeforeAll
  static void start() {
    node = TestNode.start();
    node.node().pluginHost().registerInProcess("blocking-create", "1",
        new PluginRegistry.Extensions(blocking, null, List.of()));
    expect(201, node.admin().post("/sites", new JsonObject().put("name", "trial").put("hosts", new JsonArray().add("trial.test"))));
  }

  @AfterAll
  static void stop() {
    blocking.release.countDown();
    node.close();
  }

  @Test
  void aFactoryWhoseCreateBlocksDoesNotHoldTheAdminServerAndTimesOut() throws Exception {
    JsonObject binding = new JsonObject().put("scope", "site").put("target", "trial");
    CompletableFuture<Http.Response> saving = CompletableFuture.supplyAsync(
        () -> node.admin().post("/plugins/blocking-create/bindings", binding));
    assertThat(blocking.entered.await(30, TimeUnit.SECONDS)).as("the trial create started").isTrue();

    // While the trial create is blocked, the admin server answers other requests.
    Http.Response other = node.admin().get("/sites");
    assertThat(other.status()).isEqualTo(200);
    assertThat(blocking.firstDone).as("answered while the create was still blocked").isFalse();

    // The save itself gives up after the trial timeout, naming the reason, and writes nothing.
    Http.Response saved = saving.get(60, TimeUnit.SECONDS);
    assertThat(saved.status()).as(saved.body()).isEqualTo(400);
    assertThat(saved.body()).contains("config").contains("within");
    assertThat(blocking.firstDone).isFalse();
    assertThat(node.admin().get("/plugins/blocking-create/bindings").json().getJsonArray("items")).isEmpty();

    blocking.release.countDown();
    expect(201, node.admin().post("/plugins/blocking-create/bindings", binding));
  }
}
