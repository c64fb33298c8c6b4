package io.frontdesk.accesslog;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every exchange lands in PostgreSQL, and can be found again by what an operator asks. */
class AccessLogTest {

  static TestNode node;
  static TestBackend backend;
  static String slowId;
  static String slowerId;
  static String postId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
    backend = TestBackend.start("logged");
    node.admin().simpleRoute("shop", "*", backend.port());
    for (int i = 0; i < 20; i++) {
      Http.get(node.proxy() + "/items/" + i + "?token=abc&page=" + i, "User-Agent", "catalog-bot/" + i);
    }
    Http.get(node.proxy() + "/status/404");
    Http.get(node.proxy() + "/status/503");
    Http.get(node.proxy() + "/status/503");
    postId = Http.send("POST", node.proxy() + "/orders", "{}", "User-Agent", "checkout/2").header("x-request-id");
    slowId = Http.get(node.proxy() + "/slow/300").header("x-request-id");
    slowerId = Http.get(node.proxy() + "/slow/600").header("x-request-id"); // in the slow-request index
    awaitRows(node, 26);
    awaitTopLists(node, 26);
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  static void awaitRows(TestNode n, long count) throws InterruptedException {
    awaitAtLeast(n, "SELECT count(*) FROM access_log", count, "access-log rows");
  }

  /** Top paths and clients reach PostgreSQL a second or so after the rows (counted in memory). */
  static void awaitTopLists(TestNode n, long count) throws InterruptedException {
    awaitAtLeast(n, "SELECT coalesce(sum(requests), 0) FROM access_log_top_paths", count, "requests in the top paths");
  }

  private static void awaitAtLeast(TestNode n, String sql, long count, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (((Number) TestDatabase.queryOne(n.dbUrl(), sql)).longValue() >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fewer than " + count + " " + what + " after 15 s");
  }

  static JsonObject logs(String query) {
    return expect(200, node.admin().get("/logs?" + query)).json();
  }

  static List<JsonObject> items(String query) {
    return logs(query).getJsonArray("items").stream().map(o -> (JsonObject) o).toList();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void storesEveryFieldOfTheRecord() {
    JsonObject post = items("requestId=" + postId).get(0);
    assertThat(post.getString("method")).isEqualTo("POST");
    assertThat(post.getString("site")).isEqualTo("shop");
    assertThat(post.getString("route")).isEqualTo("shop");
    assertThat(post.getString("upstream")).isEqualTo("shop");
    assertThat(post.getString("target")).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(post.getString("path")).isEqualTo("/orders");
    assertThat(post.getInteger("status")).isEqualTo(200);
    assertThat(post.getLong("requestBytes")).isEqualTo(2);
    assertThat(post.getLong("responseBytes")).isPositive();
    assertThat(post.getLong("durationMicros")).isPositive();
    assertThat(post.getLong("upstreamMicros")).isPositive();
    assertThat(post.getString("clientIp")).isEqualTo("127.0.0.1");
    assertThat(post.getString("userAgent")).isEqualTo("checkout/2");
    assertThat(post.getString("protocol")).isEqualTo("HTTP/1.1");
    assertThat(post.getString("node")).isEqualTo(node.node().settings().nodeId());
    JsonObject item = items("pathPrefix=/items/7").get(0);
    assertThat(item.getString("query")).isEqualTo("token=REDACTED&page=7");
  }

  @Test
  void filtersByStatusMethodPathClientLatencyAndText() {
    assertThat(items("status=5xx")).hasSize(2).allMatch(i -> i.getInteger("status") == 503);
    assertThat(items("status=404,503")).hasSize(3);
    assertThat(items("method=post")).hasSize(1);
    assertThat(items("pathPrefix=/items/1&limit=1000")).hasSize(11); // /items/1 and /items/10..19
    assertThat(items("pathContains=TEM")).hasSize(20);
    assertThat(items("q=catalog-bot/1")).hasSize(11);
    assertThat(items("client=127.0.0.0/8")).hasSizeGreaterThanOrEqualTo(25);
    assertThat(items("client=10.0.0.0/8")).isEmpty();
    // One address: the search plans through the BRIN summaries (set within its own transaction).
    assertThat(items("client=127.0.0.1")).hasSameSizeAs(items("client=127.0.0.0/8"));
    assertThat(items("client=10.0.0.1")).isEmpty();
    assertThat(items("site=shop&route=shop")).hasSizeGreaterThanOrEqualTo(25);
    assertThat(items("site=nope")).isEmpty();
    List<JsonObject> slow = items("minDurationMs=250");
    assertThat(slow).extracting(i -> i.getString("requestId")).containsExactly(slowerId, slowId);
    assertThat(items("minDurationMs=550")).extracting(i -> i.getString("requestId")).containsExactly(slowerId);
    assertThat(items("from=1m&status=2xx")).hasSizeGreaterThanOrEqualTo(21);
    assertThat(items("from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z")).isEmpty();
  }

  @Test
  void slowestFirstPagesAcrossTheSlowRequestIndexAndTheRest() {
    JsonObject first = logs("sort=duration&limit=1");
    assertThat(first.getJsonArray("items").getJsonObject(0).getString("requestId")).isEqualTo(slowerId);
    JsonObject second = logs("sort=duration&limit=1&cursor=" + first.getString("next"));
    assertThat(second.getJsonArray("items").getJsonObject(0).getString("requestId")).isEqualTo(slowId);
    JsonObject both = logs("sort=duration&limit=3");
    assertThat(both.getJsonArray("items")).hasSize(3);
    assertThat(both.getJsonArray("items").getJsonObject(1).getString("requestId")).isEqualTo(slowId);
    long previous = Long.MAX_VALUE;
    String cursor = both.getString("next");
    for (Object o : both.getJsonArray("items")) {
      previous = Math.min(previous, ((JsonObject) o).getLong("durationMicros"));
    }
    int seen = 3;
    while (cursor != null) {
      JsonObject page = logs("sort=duration&limit=5&cursor=" + cursor);
      for (Object o : page.getJsonArray("items")) {
        long d = ((JsonObject) o).getLong("durationMicros");
        assertThat(d).isLessThanOrEqualTo(previous);
        previous = d;
        seen++;
      }
      cursor = page.getString("next");
    }
    assertThat(seen).isGreaterThanOrEqualTo(26);
  }

  @Test
  void latencyBucketsAreEightPerDecadeFrom100Microseconds() {
    Object buckets = TestDatabase.queryOne(node.dbUrl(), "SELECT string_agg(access_log_latency_bucket(v)::text, ',' "
        + "ORDER BY v) FROM unnest('{0,99,100,133,134,999,1000,10000,1000000,100000000,100000000000}'::bigint[]) v");
    assertThat(buckets).isEqualTo("0,0,1,1,2,8,9,17,33,48,48");
  }

  @Test
  void pagesWithAKeysetCursorNewestFirst() {
    Set<String> seen = new HashSet<>();
    String cursor = null;
    java.time.Instant previous = null;
    int pages = 0;
    do {
      JsonObject page = logs("limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
      for (Object o : page.getJsonArray("items")) {
        JsonObject i = (JsonObject) o;
        assertThat(seen.add(i.getString("requestId"))).isTrue();
        java.time.Instant at = java.time.Instant.parse(i.getString("timestamp"));
        if (previous != null) {
          assertThat(at).isBeforeOrEqualTo(previous);
        }
        previous = at;
      }
      cursor = page.getString("next");
      pages++;
    } while (cursor != null && pages < 50);
    assertThat(seen).hasSizeGreaterThanOrEqualTo(25);
    assertThat(pages).isGreaterThanOrEqualTo(7);
  }

  @Test
  void badParametersAnswer400WithTheReason() {
    JsonObject e = expect(400, node.admin().get("/logs?status=6xx&limit=5000&client=office&from=yesterday"
        + "&minDurationMs=-1&sort=size&cursor=zzz")).json();
    List<String> fields = e.getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")).toList();
    assertThat(fields).contains("status", "limit", "client", "from", "minDurationMs", "sort", "cursor");
    assertThat(expect(400, node.admin().get("/logs/stats?bucket=7s")).body()).contains("bucket");
    assertThat(expect(400, node.admin().get("/logs/stats?from=3d&bucket=1m")).body())
        .contains("more than 2000 points");
  }

  @Test
  void statisticsComeFromRollups() {
    JsonObject s = expect(200, node.admin().get("/logs/stats?from=10m&bucket=1m")).json();
    JsonObject totals = s.getJsonObject("totals");
    assertThat(totals.getLong("requests")).isGreaterThanOrEqualTo(25);
    assertThat(totals.getLong("errors")).isEqualTo(2);
    assertThat(totals.getLong("clientErrors")).isEqualTo(1);
    assertThat(totals.getDouble("p99Ms")).isGreaterThanOrEqualTo(250.0);
    assertThat(totals.getDouble("p50Ms")).isLessThan(250.0);
    assertThat(s.getJsonArray("buckets")).isNotEmpty();
    assertThat(s.getJsonArray("statusCodes").stream().map(o -> ((JsonObject) o).getInteger("status")))
        .contains(200, 404, 503);
    JsonObject topPath = s.getJsonArray("topPaths").getJsonObject(0);
    assertThat(topPath.getString("path")).isEqualTo("/items/:id"); // /items/0 … /items/19 count as one
    assertThat(topPath.getLong("requests")).isEqualTo(20);
    assertThat(s.getJsonArray("topClients").getJsonObject(0).getString("clientIp")).isEqualTo("127.0.0.1");
    // The rollups agree with the raw rows.
    Object raw = TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM access_log");
    Object rolled = TestDatabase.queryOne(node.dbUrl(), "SELECT sum(requests) FROM access_log_rollup WHERE grain = 'm'");
    assertThat(((Number) rolled).longValue()).isEqualTo(((Number) raw).longValue());
  }

  @Test
  void exportsAsCsvAndJson() {
    Http.Response csv = expect(200, node.admin().get("/logs/export?format=csv&pathPrefix=/items"));
    String[] lines = csv.body().split("\n");
    assertThat(lines[0]).startsWith("timestamp,node,requestId,site,route");
    assertThat(lines).hasSize(21);
    assertThat(csv.header("content-disposition")).contains("frontdesk-logs.csv");
    JsonArray json = new JsonArray(expect(200, node.admin().get("/logs/export?format=json&status=5xx")).body());
    assertThat(json).hasSize(2);
    assertThat(expect(200, node.admin().get("/logs/export?format=ndjson&status=404")).body().trim().lines()).hasSize(1);
    assertThat(node.admin().get("/logs/export?format=xml").status()).isEqualTo(400);
  }

  @Test
  void dropsPartitionsPastRetention() throws Exception {
    AccessLogStore store = node.node().accessLogStore();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    store.createPartition(today.minusDays(40)).toCompletionStage().toCompletableFuture().get();
    List<String> dropped = store.applyRetention(today, 14, 7, 90).toCompletionStage().toCompletableFuture().get();
    assertThat(dropped).contains("access_log_" + today.minusDays(40).toString().replace("-", ""));
    assertThat(TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM pg_class WHERE relname = 'access_log_"
        + today.toString().replace("-", "") + "'")).isEqualTo(1L);
  }

  @Test
  void exposesPrometheusMetrics() {
    String m = expect(200, Http.get(node.adminBase() + "/metrics")).body();
    assertThat(m).contains("frontdesk_requests_total{").contains("status=\"503\"")
        .contains("frontdesk_request_duration_seconds_bucket{")
        .contains("frontdesk_upstream_target_available{")
        .contains("frontdesk_access_log_queue_depth")
        .contains("frontdesk_access_log_dropped_total")
        .contains("frontdesk_event_loop_lag_seconds")
        .contains("frontdesk_config_version")
        .contains("jvm_memory_used_bytes");
  }
}
