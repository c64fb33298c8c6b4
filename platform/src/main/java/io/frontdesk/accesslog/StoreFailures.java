package io.frontdesk.accesslog;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.postgresql.util.PSQLException;

/**
 * Tells a batch PostgreSQL refused for its data (a bad row: isolate it, store the rest) from
 * PostgreSQL being unavailable (keep everything in the spool and retry). Only data exceptions
 * (SQLSTATE class 22), integrity violations (23) and program limits such as an oversized index
 * row (54) are blamed on rows. Connection failures (08, a closed or refused connection, a
 * timeout), shutdown (57P01-03), cancellation, lack of resources (53), lock conflicts and
 * schema or permission problems (42: the statement, never one row, is at fault) mean "retry
 * later": dead-lettering on those would throw every record away.
 */
final class StoreFailures {

  private StoreFailures() {
  }

  /** @return whether {@code t} says the rows, not the database, are at fault */
  static boolean refusedRows(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof PgException || c instanceof SQLException) {
      String state = sqlState(c);
      return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }
    // Encoding a value on the client failed: that row can never be sent.
    return c instanceof IllegalArgumentException || c instanceof ClassCastException
        || c instanceof NullPointerException || c instanceof ArithmeticException
        || c instanceof io.vertx.core.json.EncodeException;
  }

  /** @return whether the failure is a missing day partition (recreate partitions and retry) */
  static boolean missingPartition(Throwable t) {
    Throwable c = unwrap(t);
    String message = c instanceof PgException pg ? pg.getErrorMessage()
        : c instanceof PSQLException p && p.getServerErrorMessage() != null ? p.getServerErrorMessage().getMessage()
        : null;
    return "23514".equals(sqlState(c)) && message != null && message.startsWith("no partition");
  }

  /** @return whether a COPY met a row stored before (then only the deduplicating insert can store the batch) */
  static boolean duplicateRow(Throwable t) {
    return "23505".equals(sqlState(t));
  }

  /** @return the SQLSTATE, or {@code null} when PostgreSQL did not answer with one */
  static String sqlState(Throwable t) {
    Throwable c = unwrap(t);
    return c instanceof PgException pg ? pg.getSqlState() : c instanceof SQLException s ? s.getSQLState() : null;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
