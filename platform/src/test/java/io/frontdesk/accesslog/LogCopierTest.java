package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.db.DatabaseConfig;
import io.frontdesk.db.Migrations;
import io.frontdesk.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fresh batches are stored by binary COPY with rollups summed on the node; spool replays by the
 * insert that skips stored rows. Both must store the same thing: the same rows, value for value,
 * and the same rollups.
 */
class LogCopierTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private record Db(String url, AccessLogStore store, LogCopier copier) {
  }

  private Db database() throws Exception {
    String url = TestDatabase.newDatabase();
    DatabaseConfig config = DatabaseConfig.parse(url, null, null);
    Migrations.migrate(config);
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(config.connectOptions())
        .using(vertx).build();
    closing.add(pool::close);
    LogCopier copier = new LogCopier(config);
    closing.add(copier);
    AccessLogStore store = new AccessLogStore(pool);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    store.ensurePartitions(today, 1).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new Db(url, store, copier);
  }

  /** Every kind of value a row holds, and durations across the whole latency histogram. */
  static List<LogRow> varied(int n) {
    Random random = new Random(7);
    Instant base = Instant.now().minusSeconds(120);
    String[] ips = {"127.0.0.1", "10.1.2.3", "::1", "2001:db8::42", null, "203.0.113.9"};
    long[] durations = {0, 1, 99, 100, 101, 133, 999, 1000, 1001, 10_000, 100_000, 999_999, 1_000_000,
        10_000_000_000L};
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AccessLogRecord r = AccessLogRecord.builder()
          .timestamp(base.plusNanos(i * 1_234_567L + random.nextInt(1000)))
          .node("node-1").requestId(RequestIds.next()).site(i % 3 == 0 ? null : "site-" + (i % 4))
          .route(i % 5 == 0 ? null : "route-" + (i % 2)).upstream("up").target("127.0.0.1:" + (8000 + i % 3))
          .method(i % 2 == 0 ? "GET" : "POST").scheme("http").protocol("HTTP/1.1").host("example.com")
          .path("/p/" + i + (i % 7 == 0 ? "/caf\u00e9/\u6f22\ud83d\ude00" : "")).query(i % 4 == 0 ? "a=1&b=\t2" : null)
          .status(new int[] {200, 201, 304, 404, 500, 502}[i % 6]).requestBytes(i * 10L).responseBytes(i * 100L)
          .durationMicros(i < durations.length ? durations[i] : random.nextInt(2_000_000))
          .upstreamMicros(i % 9 == 0 ? -1 : i).clientIp(ips[i % ips.length])
          .userAgent(i % 2 == 0 ? "curl/8 \"quoted\" back\\slash\nnewline" : null).referer(i % 3 == 0 ? "https://r/" : null)
          .tlsVersion(i % 2 == 0 ? "TLSv1.3" : null).retries(i % 3).details(i % 10 == 0 ? "upstream reset" : null)
          .filters(i % 2 == 0 ? List.of(new FilterTiming("waf", 12, 3, "continue"), new FilterTiming("gzip", 0, 40, "x"))
              : List.of())
          .attributes(i % 3 == 0 ? Map.of("user", "al\u00efce", "n", "1") : Map.of())
          .build();
      rows.add(new LogRow(1_000 + i, r));
    }
    return rows;
  }

  @Test
  void copyStoresTheSameRowsAndRollupsAsTheDeduplicatingInsert() throws Exception {
    List<LogRow> rows = varied(300);
    Db copied = database();
    Db inserted = database();
    // Two batches each, so rollup rows are both created and added to.
    assertThat(copied.copier().copy(rows.subList(0, 150)).get(30, TimeUnit.SECONDS)).isEqualTo(150);
    assertThat(copied.copier().copy(rows.subList(150, 300)).get(30, TimeUnit.SECONDS)).isEqualTo(150);
    assertThat(await(inserted.store().insert(rows.subList(0, 150)))).isEqualTo(150);
    assertThat(await(inserted.store().insert(rows.subList(150, 300)))).isEqualTo(150);

    String logRows = "SELECT *, host(client_ip) AS ip_text FROM access_log ORDER BY seq";
    String rollups = "SELECT * FROM access_log_rollup ORDER BY grain, bucket, site, route, status";
    String latency = "SELECT * FROM access_log_latency ORDER BY grain, bucket, site, route, lb";
    for (String q : List.of(logRows, rollups, latency)) {
      assertThat(table(copied.url(), q)).as(q).isEqualTo(table(inserted.url(), q)).isNotEmpty();
    }
    // The latency buckets summed on the node are the database's own.
    assertThat(table(copied.url(), "SELECT count(DISTINCT lb) > 10 AS spread FROM access_log_latency"))
        .isEqualTo(List.of(List.of("spread=t")));
  }

  @Test
  void aReplayOfCopiedRowsStoresNothingTwiceAndACopyOfStoredRowsIsRefusedAsADuplicate() throws Exception {
    List<LogRow> rows = varied(50);
    Db db = database();
    db.copier().copy(rows).get(30, TimeUnit.SECONDS);
    String rollups = "SELECT * FROM access_log_rollup ORDER BY grain, bucket, site, route, status";
    List<List<String>> before = table(db.url(), rollups);

    assertThat(await(db.store().insert(rows))).isZero();
    assertThat(table(db.url(), rollups)).isEqualTo(before);
    assertThatThrownBy(() -> db.copier().copy(rows.subList(10, 20)).get(30, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(StoreFailures.duplicateRow(e)).isTrue());
    // The failed COPY left nothing behind, and the connection serves the next batch.
    assertThat(table(db.url(), rollups)).isEqualTo(before);
    List<LogRow> more = new ArrayList<>();
    for (LogRow r : rows.subList(0, 5)) {
      more.add(new LogRow(r.seq() + 100_000, r.record()));
    }
    assertThat(db.copier().copy(more).get(30, TimeUnit.SECONDS)).isEqualTo(5);
    assertThat(table(db.url(), "SELECT count(*) FROM access_log")).isEqualTo(List.of(List.of("count=55")));
  }

  @Test
  void newPagesAreSummarizedIntoTheSiteAndClientIndexOnce() throws Exception {
    Db db = database();
    db.copier().copy(varied(2000)).get(30, TimeUnit.SECONDS);
    assertThat(await(db.store().summarizeNewPages())).isPositive();
    assertThat(await(db.store().summarizeNewPages())).isZero();
  }

  @Test
  void aBatchIsWrittenInSiteOrderKeepingTheOrderRowsCameInWithinASite() {
    List<LogRow> rows = varied(60);
    List<LogRow> sorted = LogCopier.clustered(rows);
    assertThat(sorted).containsExactlyInAnyOrderElementsOf(rows);
    Function<LogRow, String> site = r -> r.record().site() == null ? "" : r.record().site();
    for (int i = 1; i < sorted.size(); i++) {
      LogRow a = sorted.get(i - 1);
      LogRow b = sorted.get(i);
      assertThat(site.apply(a)).isLessThanOrEqualTo(site.apply(b));
      if (site.apply(a).equals(site.apply(b))) {
        assertThat(rows.indexOf(a)).isLessThan(rows.indexOf(b));
      }
    }
  }

  @Test
  void aSearchByRequestIdFindsIdsMadeHereAndIdsMadeElsewhere() throws Exception {
    Db db = database();
    Instant now = Instant.now();
    List<LogRow> rows = new ArrayList<>();
    String own = RequestIds.next();
    // 32 lowercase hex digits like ours, from a proxy in front: its "time" means nothing.
    String foreignLookalike = "0123456789abcdef0123456789abcdef";
    String foreign = "edge-7f3a";
    int seq = 1;
    for (String id : List.of(own, foreignLookalike, foreign)) {
      rows.add(new LogRow(seq++, AccessLogRecord.builder().timestamp(now.minusSeconds(600)).node("n").requestId(id)
          .method("GET").path("/" + id).status(200).build()));
    }
    db.copier().copy(rows).get(30, TimeUnit.SECONDS);
    Pool pool = db.store().pool();
    for (String id : List.of(own, foreignLookalike, foreign)) {
      LogQuery.Filters f = LogQuery.parse(Map.of("requestId", id)::get, 7);
      JsonObject page = await(LogQuery.search(pool, f));
      assertThat(page.getJsonArray("items")).as(id).hasSize(1);
      assertThat(page.getJsonArray("items").getJsonObject(0).getString("path")).isEqualTo("/" + id);
    }
    assertThat(RequestIds.madeAt(own)).isBetween(now.minusSeconds(1), Instant.now());
  }

  @Test
  void filterTimingsStoredWithoutTheirContinueReadBackWithItAndCountOnlyOtherOutcomes() throws Exception {
    Db db = database();
    Instant t = Instant.now().minusSeconds(60);
    List<LogRow> rows = new ArrayList<>();
    rows.add(new LogRow(1, AccessLogRecord.builder().timestamp(t).node("n").requestId("r1").method("GET").path("/a")
        .status(200).filters(List.of(new FilterTiming("waf", 40, 2, "continue"),
            new FilterTiming("auth", 7, 0, "continue"))).build()));
    rows.add(new LogRow(2, AccessLogRecord.builder().timestamp(t).node("n").requestId("r2").method("GET").path("/b")
        .status(403).filters(List.of(new FilterTiming("waf", 60, 0, "respond 403"),
            new FilterTiming("auth", 0, 0, "not run"))).build()));
    db.copier().copy(rows).get(30, TimeUnit.SECONDS);
    assertThat(table(db.url(), "SELECT filters::text FROM access_log ORDER BY seq")).isEqualTo(List.of(
        List.of("filters=[[\"waf\",40,2],[\"auth\",7,0]]"),
        List.of("filters=[[\"waf\",60,0,\"respond 403\"],[\"auth\",0,0,\"not run\"]]")));

    JsonObject page = await(LogQuery.search(db.store().pool(), LogQuery.parse(Map.of("requestId", "r1")::get, 7)));
    assertThat(page.getJsonArray("items").getJsonObject(0).getJsonArray("filters").getJsonObject(0).getMap())
        .isEqualTo(Map.of("plugin", "waf", "requestMicros", 40L, "responseMicros", 2L, "outcome", "continue"));

    JsonObject cost = await(PluginCost.query(db.store().pool(), t.minusSeconds(60), Instant.now()));
    Map<String, Long> notContinued = new java.util.HashMap<>();
    cost.getJsonArray("items").forEach(o -> notContinued.put(((JsonObject) o).getString("plugin"),
        ((JsonObject) o).getLong("notContinued")));
    assertThat(notContinued).isEqualTo(Map.of("waf", 1L, "auth", 1L));
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Every row as text, column by column. */
  private static List<List<String>> table(String url, String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(md.getColumnName(i) + "=" + rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
