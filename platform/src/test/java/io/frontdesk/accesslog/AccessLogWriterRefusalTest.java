package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.db.DatabaseConfig;
import io.frontdesk.db.Migrations;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record PostgreSQL refuses costs that record only: it is kept in the dead-letter file with the
 * reason, the rest of its batch (or spool chunk) is stored, and the writer goes on writing.
 */
class AccessLogWriterRefusalTest {

  private String url;
  private Vertx vertx;
  private Pool pool;
  private Path dir;
  private AccessLogWriter writer;

  @BeforeEach
  void database() {
    url = TestDatabase.newDatabase();
    Migrations.migrate(DatabaseConfig.parse(url, null, null));
    // A genuine refusal: a constraint the test adds, which PostgreSQL checks row by row (23514).
    TestDatabase.exec(url, "ALTER TABLE access_log ADD CONSTRAINT refuse_evil CHECK (path <> '/evil')");
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(DatabaseConfig.parse(url, null, null).connectOptions()).using(vertx).build();
    dir = TestPaths.newDir("refusal");
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    pool.close();
    vertx.close();
  }

  private AccessLogWriter startWriter() throws Exception {
    writer = new AccessLogWriter(new AccessLogStore(pool), new LogCopier(DatabaseConfig.parse(url, null, null)),
        dir.resolve("spool"), dir.resolve("dead.jsonl"),
        new AccessLogWriter.Settings(100_000, 64L << 20, 7, 7, 90));
    writer.start();
    return writer;
  }

  static AccessLogRecord record(String path, Map<String, String> attributes) {
    return AccessLogRecord.builder().timestamp(Instant.now()).node("n1").requestId("rid-" + path).site("site")
        .route("route").upstream("up").target("127.0.0.1:1").method("GET").scheme("http").protocol("HTTP/1.1")
        .host("example.com").path(path).query(null).status(200).requestBytes(0).responseBytes(10)
        .durationMicros(1000).upstreamMicros(500).clientIp("127.0.0.1").userAgent("ua").referer(null)
        .tlsVersion(null).retries(0).details(null)
        .filters(List.of(new FilterTiming("plug\u0000in", 1, 2, "continue"))).attributes(attributes).build();
  }

  @Test
  void aRefusedRecordGoesToTheDeadLetterFileAndTheRestOfItsBatchIsStored() throws Exception {
    startWriter();
    for (int i = 0; i < 10; i++) {
      writer.offer(record(i == 6 ? "/evil" : "/ok/" + i, Map.of()));
    }
    awaitStored("path LIKE '/ok/%'", 9);
    Path dead = dir.resolve("dead.jsonl");
    assertThat(writer.deadLettered()).isEqualTo(1);
    List<String> lines = Files.readAllLines(dead);
    assertThat(lines).hasSize(1);
    JsonObject entry = new JsonObject(lines.get(0));
    assertThat(entry.getString("reason")).contains("refuse_evil");
    assertThat(entry.getString("sqlState")).isEqualTo("23514");
    assertThat(entry.getJsonObject("row").getString("path")).isEqualTo("/evil");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dead))).isEqualTo("rw-------");
    assertThat(writer.databaseUp()).isTrue();
    assertThat(writer.spooled()).isZero();

    writer.offer(record("/later", Map.of())); // and it keeps writing
    awaitStored("path = '/later'", 1);
  }

  @Test
  void aRefusedRecordInTheSpoolOfAnEarlierRunIsDeadLetteredNotReplayedForever() throws Exception {
    Path spool = Files.createDirectories(dir.resolve("spool"));
    List<String> lines = new ArrayList<>();
    long seq = 1;
    for (String p : List.of("/s/1", "/evil", "/s/2", "/s/3")) {
      lines.add(new LogRow(seq++, record(p, Map.of())).toSpoolLine());
    }
    // A row an older version spooled with no path (a malformed request) is stored too.
    lines.add(new JsonObject(new LogRow(seq, record("/x", Map.of())).toSpoolLine()).put("path", (String) null)
        .encode());
    Files.write(spool.resolve("segment-1.jsonl"), lines);
    startWriter();
    awaitStored("path LIKE '/s/%' OR path = '-'", 4);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline && writer.spoolBytes() > 0) {
      Thread.sleep(50);
    }
    assertThat(writer.spoolBytes()).as("the spool is replayed to its end").isZero();
    assertThat(writer.deadLettered()).isEqualTo(1);
    assertThat(writer.databaseUp()).isTrue();
  }

  @Test
  void nulCharactersAndBrokenTextFromPluginsAreStoredWithoutThem() throws Exception {
    startWriter();
    writer.offer(record("/attr\u0000s\ud800", Map.of("k\u0000ey", "va\u0000lue\udc00", "big", "x".repeat(10_000))));
    awaitStored("path = '/attrs'", 1);
    assertThat(TestDatabase.queryOne(url, "SELECT attributes->>'key' FROM access_log")).isEqualTo("value");
    assertThat(((String) TestDatabase.queryOne(url, "SELECT attributes->>'big' FROM access_log")).length())
        .isEqualTo(4096);
    assertThat(TestDatabase.queryOne(url, "SELECT filters->0->>0 FROM access_log")).isEqualTo("plugin");
    assertThat(writer.deadLettered()).isZero();
  }

  private void awaitStored(String where, long n) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    long got = 0;
    while (System.nanoTime() < deadline) {
      got = ((Number) TestDatabase.queryOne(url, "SELECT count(*) FROM access_log WHERE " + where)).longValue();
      if (got >= n) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(got).as("rows where " + where).isEqualTo(n);
  }
}
