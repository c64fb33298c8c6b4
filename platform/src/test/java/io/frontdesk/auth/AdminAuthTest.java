package io.frontdesk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in, sessions, CSRF, roles and tokens of the admin API, against a real node and database. */
class AdminAuthTest {

  static final String PASSWORD = "correct horse battery";
  static TestNode node;
  static String api;

  @BeforeAll
  static void start() {
    node = TestNode.start("--admin-password", PASSWORD);
    api = "http://127.0.0.1:" + node.node().adminPort() + "/api/v1";
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A signed-in browser: its cookie and CSRF token. */
  record Browser(String cookie, String csrf) {
    Http.Response send(String method, String path, Object body, String... extra) {
      String[] h = new String[4 + extra.length];
      h[0] = "Cookie";
      h[1] = "fd_session=" + cookie;
      h[2] = "content-type";
      h[3] = "application/json";
      System.arraycopy(extra, 0, h, 4, extra.length);
      return Http.send(method, api + path, body == null ? null : body.toString(), h);
    }
  }

  static Http.Response login(String name, String password) {
    return Http.send("POST", api + "/auth/login", new JsonObject().put("name", name).put("password", password).encode(),
        "content-type", "application/json");
  }

  static Browser signIn(String name, String password) {
    Http.Response r = login(name, password);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String setCookie = r.header("set-cookie");
    HttpCookie c = HttpCookie.parse(setCookie).get(0);
    return new Browser(c.getValue(), r.json().getString("csrfToken"));
  }

  @Test
  void withoutCredentialsTheApiAnswers401ButHealthAndOpenApiStayOpen() {
    for (String path : List.of("/sites", "/status", "/logs", "/users", "/tokens", "/plugins")) {
      Http.Response r = Http.get(api + path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.header("www-authenticate")).startsWith("Bearer");
    }
    assertThat(Http.send("POST", api + "/sites", "{\"name\":\"x\",\"hosts\":[\"x.test\"]}", "content-type",
        "application/json").status()).isEqualTo(401);
    assertThat(Http.get(api + "/sites", "Authorization", "Bearer wrong-token-123456").status()).isEqualTo(401);
    assertThat(Http.get(api + "/openapi.json").status()).isEqualTo(200);
    assertThat(Http.get("http://127.0.0.1:" + node.node().adminPort() + "/healthz").status()).isEqualTo(200);
    // whether one is signed in is an answer, not an error (the sign-in page asks on every load)
    Http.Response session = Http.get(api + "/auth/session");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.json().getBoolean("signedIn")).isFalse();
    assertThat(session.json().containsKey("csrfToken")).isFalse();
    assertThat(node.admin().get("/sites").status()).isEqualTo(200); // the bootstrap token
  }

  @Test
  void aSessionCookieIsHttpOnlyStrictAndChangesNeedTheCsrfToken() {
    Http.Response r = login("admin", PASSWORD);
    assertThat(r.status()).isEqualTo(200);
    String setCookie = r.header("set-cookie");
    assertThat(setCookie).contains("fd_session=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .doesNotContainIgnoringCase("Secure");
    Browser b = signIn("admin", PASSWORD);
    assertThat(b.send("GET", "/auth/session", null).json().getString("role")).isEqualTo("admin");
    assertThat(b.send("GET", "/auth/session", null).json().getBoolean("signedIn")).isTrue();
    JsonObject site = new JsonObject().put("name", "csrf-site").put("hosts", List.of("csrf.test"));
    assertThat(b.send("POST", "/sites", site).status()).isEqualTo(403);
    assertThat(b.send("POST", "/sites", site, "X-CSRF-Token", "guess").status()).isEqualTo(403);
    assertThat(b.send("POST", "/sites", site, "X-CSRF-Token", b.csrf(), "Origin", "http://evil.example").status())
        .isEqualTo(403);
    assertThat(node.admin().get("/sites/csrf-site").status()).as("nothing written").isEqualTo(404);
    assertThat(b.send("POST", "/sites", site, "X-CSRF-Token", b.csrf()).status()).isEqualTo(201);
    // The change is recorded under the account's name.
    JsonObject last = node.admin().get("/history?limit=1").json().getJsonArray("items").getJsonObject(0);
    assertThat(last.getString("actor")).isEqualTo("admin");

    assertThat(b.send("POST", "/auth/logout", null, "X-CSRF-Token", b.csrf()).status()).isEqualTo(204);
    assertThat(b.send("GET", "/sites", null).status()).as("after logout").isEqualTo(401);
  }

  @Test
  void wrongPasswordsAre401AndRepeatedOnesAreThrottled() {
    Http.Response wrong = login("throttled-user", "not the password");
    assertThat(wrong.status()).isEqualTo(401);
    Http.Response r = wrong;
    for (int i = 0; i < 6 && r.status() != 429; i++) {
      r = login("throttled-user", "not the password either");
    }
    assertThat(r.status()).isEqualTo(429);
    assertThat(Long.parseLong(r.header("retry-after"))).isPositive();
  }

  @Test
  void aViewerMayReadButNotChangeAnything() {
    Http.Response made = node.admin().post("/users", new JsonObject().put("name", "vera").put("role", "viewer")
        .put("password", "viewer password 1"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    Browser vera = signIn("vera", "viewer password 1");
    assertThat(vera.send("GET", "/sites", null).status()).isEqualTo(200);
    assertThat(vera.send("POST", "/sites", new JsonObject().put("name", "v").put("hosts", List.of("v.test")),
        "X-CSRF-Token", vera.csrf()).status()).isEqualTo(403);
    assertThat(vera.send("POST", "/tokens", new JsonObject().put("name", "vera-token"), "X-CSRF-Token", vera.csrf())
        .status()).isEqualTo(403);
    assertThat(vera.send("DELETE", "/users/admin", null, "X-CSRF-Token", vera.csrf()).status()).isEqualTo(403);
    // Viewers may still change their own password.
    assertThat(vera.send("POST", "/auth/password", new JsonObject().put("current", "viewer password 1")
        .put("password", "viewer password 2"), "X-CSRF-Token", vera.csrf()).status()).isEqualTo(204);
    assertThat(login("vera", "viewer password 2").status()).isEqualTo(200);
    assertThat(vera.send("GET", "/sites", null).status()).as("a new password ends old sessions").isEqualTo(401);
  }

  @Test
  void apiTokensAreShownOnceStoredHashedAndRevocable() {
    Http.Response made = node.admin().post("/tokens", new JsonObject().put("name", "ci").put("role", "viewer"));
    assertThat(made.status()).isEqualTo(201);
    String token = made.json().getString("token");
    assertThat(token).startsWith("fdt_");
    assertThat(node.admin().get("/tokens").body()).contains("\"ci\"").doesNotContain(token);
    assertThat(TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM api_tokens WHERE token_hash::text LIKE '%"
        + token + "%'")).isEqualTo(0L);
    String[] bearer = {"Authorization", "Bearer " + token};
    assertThat(Http.get(api + "/sites", bearer).status()).isEqualTo(200);
    assertThat(Http.send("POST", api + "/sites", "{\"name\":\"t\",\"hosts\":[\"t.test\"]}", "content-type",
        "application/json", bearer[0], bearer[1]).status()).as("a viewer token").isEqualTo(403);
    assertThat(node.admin().delete("/tokens/ci").status()).isEqualTo(204);
    assertThat(Http.get(api + "/sites", bearer).status()).isEqualTo(401);
  }

  @Test
  void passwordsAreStoredAsSlowHashesAndBadAccountsAreRefusedWithReasons() {
    String stored = (String) TestDatabase.queryOne(node.dbUrl(),
        "SELECT password_hash FROM admin_users WHERE name = 'admin'");
    assertThat(stored).startsWith("pbkdf2-sha256$600000$").doesNotContain(PASSWORD);
    Http.Response bad = node.admin().post("/users", new JsonObject().put("name", "bad name!").put("role", "root")
        .put("password", "short"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("\"name\"").contains("\"role\"").contains("\"password\"");
    assertThat(node.admin().post("/users", new JsonObject().put("name", "admin").put("role", "admin")
        .put("password", "another long one")).status()).isEqualTo(409);
    assertThat(node.admin().delete("/users/admin").status()).as("the last admin").isEqualTo(409);
    assertThat(login("admin", PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void anAdminTokenCanSetALostPassword() {
    assertThat(node.admin().post("/users", new JsonObject().put("name", "forgetful").put("role", "viewer")
        .put("password", "first password 1")).status()).isEqualTo(201);
    Browser before = signIn("forgetful", "first password 1");
    assertThat(node.admin().patch("/users/forgetful", new JsonObject().put("password", "second password 2")).status())
        .isEqualTo(204);
    assertThat(login("forgetful", "first password 1").status()).isEqualTo(401);
    assertThat(login("forgetful", "second password 2").status()).isEqualTo(200);
    assertThat(before.send("GET", "/sites", null).status()).as("old sessions end").isEqualTo(401);
    assertThat(node.admin().patch("/users/nobody", new JsonObject().put("password", "second password 2")).status())
        .isEqualTo(404);
  }

  @Test
  void aFirstStartWithoutAPasswordMakesARandomOneThatWorks() {
    try (TestNode fresh = TestNode.start()) {
      String pw = fresh.node().generatedAdminPassword();
      assertThat(pw).hasSizeGreaterThanOrEqualTo(16);
      String freshApi = "http://127.0.0.1:" + fresh.node().adminPort() + "/api/v1";
      assertThat(Http.send("POST", freshApi + "/auth/login", new JsonObject().put("name", "admin")
          .put("password", pw).encode(), "content-type", "application/json").status()).isEqualTo(200);
    }
    // A node on a database that has accounts makes none and shows no password.
    try (TestNode second = TestNode.onDatabase(node.dbUrl())) {
      assertThat(second.node().generatedAdminPassword()).isNull();
    }
  }
}
