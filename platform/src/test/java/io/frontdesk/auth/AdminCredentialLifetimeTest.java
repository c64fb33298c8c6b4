package io.frontdesk.auth;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How long credentials live: token expiry and creators, ended sessions, the first password, /metrics. */
class AdminCredentialLifetimeTest {

  static final String PASSWORD = "correct horse battery";
  static final String METRICS_TOKEN = "metrics-token-5d1e77f0";
  static TestNode node;
  static String api;

  @BeforeAll
  static void start() {
    node = TestNode.start("--admin-password", PASSWORD, "--admin-session-idle", "2s", "--metrics-token", METRICS_TOKEN);
    api = "http://127.0.0.1:" + node.node().adminPort() + "/api/v1";
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static boolean eventually(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.get();
  }

  static Http.Response asToken(String token, String method, String path, Object body) {
    return Http.send(method, api + path, body == null ? null : body.toString(), "content-type", "application/json",
        "Authorization", "Bearer " + token);
  }

  @Test
  void aTokenWithAnExpiryStopsWorkingAfterIt() {
    Http.Response made = expect(201, node.admin().post("/tokens", new JsonObject().put("name", "short-lived")
        .put("role", "viewer").put("expiresIn", 2)));
    assertThat(made.json().getString("expiresAt")).isNotNull();
    String token = made.json().getString("token");
    assertThat(asToken(token, "GET", "/sites", null).status()).isEqualTo(200);
    assertThat(node.admin().get("/tokens").json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("short-lived"))
        .findFirst().orElseThrow().getString("expiresAt")).isNotNull();
    assertThat(eventually(() -> asToken(token, "GET", "/sites", null).status() == 401)).isTrue();
  }

  @Test
  void aWrongExpiryIsRefusedWithItsField() {
    for (JsonObject bad : List.of(new JsonObject().put("expiresAt", "2001-01-01T00:00:00Z"),
        new JsonObject().put("expiresAt", "tomorrow"), new JsonObject().put("expiresIn", "-5"),
        new JsonObject().put("expiresIn", "30d").put("expiresAt", "2099-01-01T00:00:00Z"))) {
      Http.Response r = node.admin().post("/tokens", bad.put("name", "bad-expiry"));
      assertThat(r.status()).as(bad.encode()).isEqualTo(400);
      assertThat(r.body()).contains("expires");
    }
    assertThat(node.admin().get("/tokens").body()).doesNotContain("bad-expiry");
  }

  @Test
  void anAdminTokenStopsWorkingWhileItsCreatorIsNoAdminAndDiesWithIt() {
    expect(201, node.admin().post("/users", new JsonObject().put("name", "maker").put("role", "admin")
        .put("password", "maker password 1")));
    Http.Response in = expect(200, Http.send("POST", api + "/auth/login", new JsonObject().put("name", "maker")
        .put("password", "maker password 1").encode(), "content-type", "application/json"));
    String cookie = HttpCookie.parse(in.header("set-cookie")).get(0).getValue();
    Http.Response made = expect(201, Http.send("POST", api + "/tokens", new JsonObject().put("name", "makers-token")
        .put("role", "admin").encode(), "content-type", "application/json", "Cookie", "fd_session=" + cookie,
        "X-CSRF-Token", in.json().getString("csrfToken")));
    String token = made.json().getString("token");
    JsonObject site = new JsonObject().put("name", "made-by-token").put("hosts", List.of("mbt.test"));
    assertThat(asToken(token, "POST", "/sites", site).status()).isEqualTo(201);

    expect(204, node.admin().patch("/users/maker", new JsonObject().put("role", "viewer")));
    assertThat(asToken(token, "GET", "/sites", null).status()).as("creator no longer an admin").isEqualTo(401);
    assertThat(asToken(token, "DELETE", "/sites/made-by-token", null).status()).isEqualTo(401);
    expect(204, node.admin().patch("/users/maker", new JsonObject().put("role", "admin")));
    assertThat(asToken(token, "GET", "/sites", null).status()).as("an admin again").isEqualTo(200);

    expect(204, node.admin().delete("/users/maker"));
    assertThat(asToken(token, "GET", "/sites", null).status()).as("creator deleted").isEqualTo(401);
    assertThat(node.admin().get("/tokens").body()).doesNotContain("makers-token");
  }

  @Test
  void endedSessionsAreDeleted() {
    expect(200, Http.send("POST", api + "/auth/login", new JsonObject().put("name", "admin").put("password", PASSWORD)
        .encode(), "content-type", "application/json"));
    String count = "SELECT count(*) FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id WHERE u.name = 'admin'";
    assertThat((Long) TestDatabase.queryOne(node.dbUrl(), count)).isPositive();
    assertThat(eventually(() -> (Long) TestDatabase.queryOne(node.dbUrl(), count) == 0L)).as("deleted after 2 s idle")
        .isTrue();
  }

  @Test
  void metricsNeedTheMetricsTokenWhenOneIsSet() {
    String metrics = node.adminBase() + "/metrics";
    assertThat(Http.get(metrics).status()).isEqualTo(401);
    assertThat(Http.get(metrics, "Authorization", "Bearer wrong-token-0000000").status()).isEqualTo(401);
    assertThat(Http.get(metrics, Http.AUTH).status()).as("an admin token is not the metrics token").isEqualTo(401);
    Http.Response ok = Http.get(metrics, "Authorization", "Bearer " + METRICS_TOKEN);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).contains("jvm_memory");
  }

  @Test
  void aRandomFirstPasswordGoesToAFileOnlyItsOwnerMayRead() throws Exception {
    try (TestNode fresh = TestNode.start()) {
      Path file = fresh.node().initialPasswordFile();
      assertThat(file).isNotNull().exists();
      assertThat(file.getFileName().toString()).isEqualTo(InitialPasswordFile.NAME);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      String pw = Files.readString(file).trim();
      assertThat(pw).isEqualTo(fresh.node().generatedAdminPassword());
      assertThat(Http.send("POST", "http://127.0.0.1:" + fresh.node().adminPort() + "/api/v1/auth/login",
          new JsonObject().put("name", "admin").put("password", pw).encode(), "content-type", "application/json")
          .status()).isEqualTo(200);
    }
    assertThat(node.node().initialPasswordFile()).as("a chosen password is not written").isNull();
  }
}
