package io.frontdesk.accesslog;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the access-log queries of the admin API (search, statistics, export, plugin cost) so that
 * none can hurt the database or the other callers: each runs in a read-only transaction with a
 * statement timeout, is cancelled on the server as soon as its HTTP client goes away, and a caller
 * may run only so many at once.
 */
public final class LogSearches {

  /**
   * @param statementTimeoutMillis the longest one query may run
   * @param perCaller how many searches one caller (user or token) may run at once
   */
  public record Limits(long statementTimeoutMillis, int perCaller) {
  }

  /** A query ran past the statement timeout. */
  public static final class TimedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TimedOut(long millis) {
      super("the search ran longer than " + millis + " ms and was stopped (--log-search-timeout); "
          + "narrow the time range or add filters", null, false, false);
    }
  }

  /** A slot of a caller's concurrent searches; release it once the answer is sent. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final Pool pool;
  private final Limits limits;
  private final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();

  public LogSearches(Pool pool, Limits limits) {
    this.pool = pool;
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /** @return a permit, or {@code null} when {@code caller} already runs as many searches as allowed */
  public Permit tryAcquire(String caller) {
    AtomicInteger n = running.computeIfAbsent(caller, k -> new AtomicInteger());
    if (n.incrementAndGet() > limits.perCaller()) {
      release(caller, n);
      return null;
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        release(caller, n);
      }
    };
  }

  private void release(String caller, AtomicInteger n) {
    if (n.decrementAndGet() <= 0) {
      running.remove(caller, n); // an idle caller leaves no entry behind
    }
  }

  /**
   * Runs {@code work} on one connection, in a read-only transaction with the statement timeout.
   *
   * @param abandoned completes when the HTTP client has gone: the query is cancelled on the server
   * @return the result, or a {@link TimedOut} failure
   */
  public <T> Future<T> run(Future<Void> abandoned, Function<SqlClient, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      AtomicBoolean done = new AtomicBoolean();
      abandoned.onComplete(v -> {
        if (!done.get()) {
          cancel(conn);
        }
      });
      return conn.query("BEGIN READ ONLY").execute()
          .compose(x -> conn.query("SET LOCAL statement_timeout = " + limits.statementTimeoutMillis()).execute())
          .compose(x -> abandoned.isComplete() ? Future.<T>failedFuture("the client has gone") : work.apply(conn))
          .eventually(() -> conn.query("ROLLBACK").execute())
          .onComplete(ar -> done.set(true))
          .eventually(conn::close);
    }).recover(t -> Future.failedFuture(t instanceof PgException pg && "57014".equals(pg.getSqlState())
        ? new TimedOut(limits.statementTimeoutMillis()) : t));
  }

  /** Asks PostgreSQL to stop the running query (a separate cancel request, as psql's Ctrl-C does). */
  private static void cancel(SqlConnection conn) {
    if (conn instanceof PgConnection pg) {
      pg.cancelRequest();
    } else {
      conn.close();
    }
  }
}
