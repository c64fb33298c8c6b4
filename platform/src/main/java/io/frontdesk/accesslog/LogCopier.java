package io.frontdesk.accesslog;

import io.frontdesk.db.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores fresh batches the cheapest way PostgreSQL offers: one transaction with a binary
 * {@code COPY} of the rows and one upsert per rollup key, summed on the node
 * ({@link BatchRollups}). Measured against the single {@code INSERT … SELECT unnest(…)} statement
 * that computed rollups per row in SQL, it costs the database about half the CPU per row
 * (bench/access-log-cost.sh). COPY cannot skip rows stored before, so a spool replay, which may
 * hold such rows, goes through {@link AccessLogStore#insert} instead.
 *
 * <p>The Vert.x client has no COPY, so this uses pgjdbc on one connection and a thread of its
 * own (blocking there is harmless); the writer waits for the future and keeps spilling meanwhile.
 */
public final class LogCopier implements AutoCloseable {

  static final String COPY = "COPY access_log (" + AccessLogStore.COLUMNS + ") FROM STDIN (FORMAT binary)";

  static final String ROLLUP = """
      INSERT INTO access_log_rollup AS t
        (grain, bucket, site, route, status, requests, request_bytes, response_bytes, duration_us)
      SELECT g, to_timestamp(b), s, r, st, n, rq, rs, d
      FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::smallint[], ?::bigint[], ?::bigint[],
                  ?::bigint[], ?::bigint[]) AS x(g, b, s, r, st, n, rq, rs, d)
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (grain, bucket, site, route, status) DO UPDATE SET
        requests = t.requests + excluded.requests, request_bytes = t.request_bytes + excluded.request_bytes,
        response_bytes = t.response_bytes + excluded.response_bytes, duration_us = t.duration_us + excluded.duration_us
      """;

  static final String LATENCY = """
      INSERT INTO access_log_latency AS t (grain, bucket, site, route, lb, requests)
      SELECT g, to_timestamp(b), s, r, lb, n
      FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::smallint[], ?::bigint[]) AS x(g, b, s, r, lb, n)
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (grain, bucket, site, route, lb) DO UPDATE SET requests = t.requests + excluded.requests
      """;

  private final DatabaseConfig db;
  private final ExecutorService thread;
  private final CopyEncoder encoder = new CopyEncoder();
  /** Used only on {@link #thread}, except {@link #abort()}. */
  private volatile Connection connection;

  public LogCopier(DatabaseConfig db) {
    this.db = db;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "frontdesk-access-log-copy");
      t.setDaemon(true);
      return t;
    });
  }

  /** @return the number of rows stored; fails as the database failed (see {@link StoreFailures}) */
  CompletableFuture<Integer> copy(List<LogRow> rows) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        f.complete(copyNow(rows));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private int copyNow(List<LogRow> rows) throws SQLException {
    Connection c = connection();
    try {
      CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
      try {
        CopyEncoder e = encoder.encode(clustered(rows));
        in.writeToCopy(e.bytes(), 0, e.length());
        in.endCopy(); // a refused row shows here, as the server's error
      } catch (SQLException | RuntimeException e) {
        if (in.isActive()) {
          cancelQuietly(in);
        }
        throw e;
      }
      BatchRollups sums = BatchRollups.of(rows);
      addTotals(c, sums.totals());
      addLatency(c, sums.latency());
      c.commit();
      return rows.size();
    } catch (SQLException | RuntimeException e) {
      rollbackOrDrop(c);
      throw e;
    }
  }

  /**
   * The batch in site order (a stable sort: within a site, the order rows came in): pages then hold
   * one or two sites, which is what lets the min/max summaries of the site skip most of a time
   * range. Client addresses need no order: their Bloom summaries find them wherever they are.
   */
  static List<LogRow> clustered(List<LogRow> rows) {
    List<LogRow> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(r -> r.record().site() == null ? "" : r.record().site()));
    return out;
  }

  private static void addTotals(Connection c, List<BatchRollups.Totals> t) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ROLLUP)) {
      ps.setArray(1, column(c, "text", t, BatchRollups.Totals::grain, String[]::new));
      ps.setArray(2, column(c, "int8", t, BatchRollups.Totals::bucket, Long[]::new));
      ps.setArray(3, column(c, "text", t, BatchRollups.Totals::site, String[]::new));
      ps.setArray(4, column(c, "text", t, BatchRollups.Totals::route, String[]::new));
      ps.setArray(5, column(c, "int2", t, x -> (short) x.status(), Short[]::new));
      ps.setArray(6, column(c, "int8", t, BatchRollups.Totals::requests, Long[]::new));
      ps.setArray(7, column(c, "int8", t, BatchRollups.Totals::requestBytes, Long[]::new));
      ps.setArray(8, column(c, "int8", t, BatchRollups.Totals::responseBytes, Long[]::new));
      ps.setArray(9, column(c, "int8", t, BatchRollups.Totals::durationMicros, Long[]::new));
      ps.executeUpdate();
    }
  }

  private static void addLatency(Connection c, List<BatchRollups.Latency> l) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LATENCY)) {
      ps.setArray(1, column(c, "text", l, BatchRollups.Latency::grain, String[]::new));
      ps.setArray(2, column(c, "int8", l, BatchRollups.Latency::bucket, Long[]::new));
      ps.setArray(3, column(c, "text", l, BatchRollups.Latency::site, String[]::new));
      ps.setArray(4, column(c, "text", l, BatchRollups.Latency::route, String[]::new));
      ps.setArray(5, column(c, "int2", l, x -> (short) x.lb(), Short[]::new));
      ps.setArray(6, column(c, "int8", l, BatchRollups.Latency::requests, Long[]::new));
      ps.executeUpdate();
    }
  }

  /** One column of {@code rows} as a typed SQL array (what the statements unnest). */
  private static <T, V> java.sql.Array column(Connection c, String type, List<T> rows, Function<T, V> value,
      IntFunction<V[]> newArray) throws SQLException {
    V[] a = newArray.apply(rows.size());
    for (int i = 0; i < a.length; i++) {
      a[i] = value.apply(rows.get(i));
    }
    return c.createArrayOf(type, a);
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c != null && !c.isClosed()) {
      return c;
    }
    Properties p = new Properties();
    p.setProperty("user", db.user());
    if (db.password() != null) {
      p.setProperty("password", db.password());
    }
    p.setProperty("connectTimeout", "10");
    // A server that stops answering must not hold the writer forever; the writer gives up on a
    // batch after 30 s and spools it.
    p.setProperty("socketTimeout", "60");
    c = DriverManager.getConnection(db.jdbcUrl(), p);
    try (Statement s = c.createStatement()) {
      s.execute("SET application_name = 'frontdesk-access-log'");
    }
    c.setAutoCommit(false);
    connection = c;
    return c;
  }

  /** After a failure: a usable connection is rolled back and kept; a broken one is dropped. */
  private void rollbackOrDrop(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      closeQuietly(c);
      connection = null;
    }
  }

  /** From the writer, when a batch took too long: breaks the connection so the next batch gets a new one. */
  void abort() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException e) {
        closeQuietly(c);
      }
    }
  }

  private static void cancelQuietly(CopyIn in) {
    try {
      in.cancelCopy();
    } catch (SQLException ignored) {
      // the rollback or a new connection follows
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        abort();
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection c = connection;
    if (c != null) {
      closeQuietly(c);
    }
  }
}
