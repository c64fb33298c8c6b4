package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A PostgreSQL restart while traffic flows loses no access-log record and duplicates none. */
class AccessLogDurabilityTest {

  static EmbeddedPostgres postgres(Path dir, int port) throws Exception {
    return EmbeddedPostgres.builder().setOverrideWorkingDirectory(TestPaths.work().resolve("pg-bin").toFile())
        .setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
  }

  @Test
  void aDatabaseRestartUnderTrafficLosesNoRecord() throws Exception {
    Path dir = TestPaths.newDir("durable").resolve("pg");
    EmbeddedPostgres pg = postgres(dir, 0);
    int port = pg.getPort();
    TestBackend backend = TestBackend.start("be");
    String url = "postgresql://postgres:postgres@127.0.0.1:" + port + "/postgres?sslmode=disable";
    AtomicLong sent = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong unanswered = new AtomicLong();
    try (TestNode node = TestNode.onDatabase(url)) {
      node.admin().simpleRoute("app", "*", backend.port());
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService load = Executors.newFixedThreadPool(4);
      for (int i = 0; i < 4; i++) {
        int thread = i;
        load.submit(() -> {
          for (int n = 0; running.get() && n < 200_000; n++) {
            try {
              // A path per request: the JDK client may resend a GET on a fresh connection by itself,
              // which the proxy rightly logs as a second exchange of the same path.
              HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/r/" + thread + "-" + n))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
              sent.incrementAndGet(); // every answered exchange, whatever its status, is one record
              if (r.statusCode() != 200) {
                other.incrementAndGet();
              }
            } catch (Exception e) {
              unanswered.incrementAndGet(); // the proxy may still have logged it
            }
          }
        });
      }
      Thread.sleep(1500);
      pg.close(); // the database goes away under traffic…
      Thread.sleep(2500);
      long spooledWhileDown = node.node().accessLog().spooled();
      pg = postgres(dir, port); // …and comes back
      Thread.sleep(1500);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(spooledWhileDown).isPositive();

      long deadline = System.nanoTime() + 30_000_000_000L;
      long stored = -1;
      while (System.nanoTime() < deadline) {
        stored = count(pg, "SELECT count(DISTINCT path) FROM access_log");
        if (stored >= sent.get() && node.node().accessLog().spoolBytes() == 0 && node.node().accessLog().queueDepth() == 0) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(sent.get()).isGreaterThan(500);
      assertThat(unanswered.get()).as("requests without an answer").isZero();
      assertThat(other.get()).as("answers other than 200").isZero();
      assertThat(stored).as("requests answered that have their record").isEqualTo(sent.get());
      long rows = count(pg, "SELECT count(*) FROM access_log");
      if (rows != stored) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); ResultSet rs = c.createStatement().executeQuery(
            "SELECT path, status, details, duration_us, ts, request_bytes, response_bytes FROM access_log WHERE path IN "
                + "(SELECT path FROM access_log GROUP BY path HAVING count(*) > 1) ORDER BY path, ts")) {
          while (rs.next()) {
            System.out.println("RESENT " + rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3) + " "
                + rs.getLong(4) + "us " + rs.getString(5) + " in=" + rs.getLong(6) + " out=" + rs.getLong(7));
          }
        }
      }
      assertThat(rows - stored).as("client resends (each a real exchange)").isBetween(0L, 10L);
      assertThat(count(pg, "SELECT count(DISTINCT request_id) FROM access_log")).as("no record stored twice")
          .isEqualTo(rows);
      assertThat(count(pg, "SELECT sum(requests) FROM access_log_rollup WHERE grain = 'm'")).isEqualTo(rows);
      assertThat(node.node().accessLog().dropped()).isZero();
    } finally {
      pg.close();
      backend.close();
    }
  }

  @Test
  void aDatabaseThatFallsBehindGetsTheBacklogFromTheSpoolInsteadOfDroppingIt() throws Exception {
    String url = TestDatabase.newDatabase();
    TestBackend backend = TestBackend.start("be");
    try (TestNode node = TestNode.onDatabase(url, "--log-queue", "500");
        Connection locker = TestDatabase.connect(url)) {
      node.admin().simpleRoute("app", "*", backend.port());
      awaitStored(url, 0);
      // Inserts wait behind this lock, as they would behind a slow disk.
      locker.setAutoCommit(false);
      locker.createStatement().execute("LOCK TABLE access_log IN SHARE ROW EXCLUSIVE MODE");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      int sent = 0;
      for (int i = 0; i < 1500; i++) {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/r" + i)).build(),
            HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        sent++;
      }
      assertThat(node.node().accessLog().spooled()).isPositive();
      locker.rollback(); // the database catches up
      awaitStored(url, sent);
      assertThat(node.node().accessLog().dropped()).as("dropped").isZero();
      assertThat(TestDatabase.queryOne(url, "SELECT count(*) FROM access_log")).isEqualTo((long) sent);
      assertThat(TestDatabase.queryOne(url, "SELECT count(DISTINCT request_id) FROM access_log")).isEqualTo((long) sent);
      assertThat(TestDatabase.queryOne(url, "SELECT sum(requests) FROM access_log_rollup WHERE grain = 'm'"))
          .isEqualTo(java.math.BigDecimal.valueOf(sent));
      assertThat(node.node().accessLog().dropped()).isZero();
    } finally {
      backend.close();
    }
  }

  static void awaitStored(String url, long n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (((Number) TestDatabase.queryOne(url, "SELECT count(*) FROM access_log")).longValue() >= n) {
        return;
      }
      Thread.sleep(100);
    }
  }

  static long count(EmbeddedPostgres pg, String sql) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
