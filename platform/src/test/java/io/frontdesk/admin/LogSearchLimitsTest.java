package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access-log queries cannot hurt the database or other callers: bad numbers are 400s naming the
 * parameter, time ranges are clamped to the data kept, a query past the statement timeout is
 * stopped, a caller runs only a few at once, and a query whose client left is cancelled.
 */
class LogSearchLimitsTest {

  private static final String SEARCHING = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
      + "AND state = 'active' AND query LIKE 'SELECT *, host(client_ip)%'";
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static TestNode quick;
  static TestNode patient;

  @BeforeAll
  static void start() {
    quick = TestNode.start("--log-search-timeout", "1s");
    patient = TestNode.start("--log-search-timeout", "60s", "--log-searches-per-caller", "2");
  }

  @AfterAll
  static void stop() {
    quick.close();
    patient.close();
  }

  @Test
  void oversizedOrOutOfRangeNumbersAre400sNamingTheParameter() {
    String big = "99999999999999999999";
    String[][] cases = {
        {"/logs?limit=" + big, "limit"}, {"/logs?limit=0", "limit"},
        {"/logs?minDurationMs=" + big, "minDurationMs"}, {"/logs?minDurationMs=1e400", "minDurationMs"},
        {"/logs?minDurationMs=-1", "minDurationMs"},
        {"/logs?status=" + big, "status"}, {"/logs?from=" + big + "d", "from"}, {"/logs?to=" + big + "s", "to"},
        {"/logs?from=+999999999-12-31T00:00:00Z", "from"},
        {"/logs?cursor=" + cursor("{\"ts\":\"x\",\"node\":\"n\",\"seq\":1}"), "cursor"},
        {"/logs?cursor=" + cursor("{\"ts\":\"2026-01-01T00:00:00Z\",\"node\":\"n\",\"seq\":\"one\"}"), "cursor"},
        {"/logs/stats?bucket=" + big + "m", "bucket"}, {"/logs/stats?from=" + big + "h", "from"},
        {"/logs/plugin-cost?from=" + big + "s", "from"}, {"/logs/export?format=csv&from=" + big + "d", "from"},
        {"/live?seconds=" + big, "seconds"}};
    for (String[] c : cases) {
      Http.Response r = quick.admin().get(c[0]);
      assertThat(r.status()).as(c[0]).isEqualTo(400);
      assertThat(r.body()).as(c[0]).contains("\"" + c[1] + "\"");
    }
  }

  private static String cursor(String json) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
  }

  @Test
  void timeRangesAreClampedToTheDataKept() {
    String oldest = LocalDate.now(ZoneOffset.UTC).minusDays(14).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    JsonObject cost = Http.Admin.expect(200, quick.admin().get("/logs/plugin-cost?from=2000-01-01T00:00:00Z")).json();
    assertThat(cost.getString("from")).isEqualTo(oldest);
    // Ten years in daily buckets would be 3,650 points (over the cap); clamped to the rollups' 90 days it is fine.
    JsonObject stats = Http.Admin.expect(200, quick.admin().get("/logs/stats?from=3650d&bucket=1d")).json();
    assertThat(stats.getString("from"))
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(90).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    Http.Admin.expect(200, quick.admin().get("/logs?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"));
    assertThat(Http.Admin.expect(200, quick.admin().get("/logs?from=-999999999-01-01T00:00:00Z&to=2000-01-02T00:00:00Z"))
        .json().getJsonArray("items")).isEmpty();
  }

  @Test
  void aSearchPastTheStatementTimeoutIsStoppedWith503() throws Exception {
    try (Connection c = TestDatabase.connect(quick.dbUrl()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE"); // every search now waits
      HttpResponse<String> r = get(quick, "/logs?from=1h");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("search_timeout").contains("--log-search-timeout");
      c.rollback();
    }
  }

  @Test
  void aCallerRunsAtMostItsShareOfSearchesAtOnce() throws Exception {
    try (Connection c = TestDatabase.connect(patient.dbUrl()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE");
      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        waiting.add(CLIENT.sendAsync(request(patient, "/logs?from=" + (i + 1) + "h"), HttpResponse.BodyHandlers.ofString()));
      }
      awaitSearches(patient, 2);
      HttpResponse<String> third = get(patient, "/logs?from=3h");
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.body()).contains("too_many_searches").contains("--log-searches-per-caller");
      c.rollback(); // the lock goes: the two waiting searches finish, and the slots are free again
      for (var w : waiting) {
        assertThat(w.get().statusCode()).isEqualTo(200);
      }
      assertThat(get(patient, "/logs?from=3h").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aSearchWhoseClientLeftIsCancelledInPostgres() throws Exception {
    try (Connection c = TestDatabase.connect(patient.dbUrl()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE");
      try (RawHttp raw = new RawHttp(patient.node().adminPort())) {
        raw.send("GET /api/v1/logs?from=2h HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Http.ADMIN_TOKEN
            + "\r\n\r\n");
        awaitSearches(patient, 1);
      } // the client goes away while its query waits
      awaitSearches(patient, 0);
      c.rollback();
    }
  }

  private static void awaitSearches(TestNode node, long n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long got = -1;
    while (System.nanoTime() < deadline) {
      got = ((Number) TestDatabase.queryOne(node.dbUrl(), SEARCHING)).longValue();
      if (got == n) {
        return;
      }
      Thread.sleep(50);
    }
    assertThat(got).as("searches running in PostgreSQL").isEqualTo(n);
  }

  private static HttpRequest request(TestNode node, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node().adminPort() + "/api/v1" + path))
        .header(Http.AUTH[0], Http.AUTH[1]).timeout(Duration.ofSeconds(20)).build();
  }

  private static HttpResponse<String> get(TestNode node, String path) throws Exception {
    return CLIENT.send(request(node, path), HttpResponse.BodyHandlers.ofString());
  }
}
