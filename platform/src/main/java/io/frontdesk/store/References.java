package io.frontdesk.store;

import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * How a resource is referred to: by id (a UUID) or by name. A name may never have the form of an
 * id, so every reference means one thing.
 */
public final class References {

  private References() {
  }

  /** @return whether {@code ref} is an id (UUID) rather than a name */
  public static boolean isId(String ref) {
    if (ref == null || ref.length() != 36) {
      return false;
    }
    try {
      UUID.fromString(ref);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** @return the row {@code select} finds for {@code ref}; a 404 naming {@code kind} when none */
  static Future<Row> one(SqlConnection conn, String select, String kind, String ref) {
    return one(conn, select, kind, ref, null);
  }

  /** @param alias the table alias of {@code select}, or {@code null} */
  static Future<Row> one(SqlConnection conn, String select, String kind, String ref, String alias) {
    String p = alias == null ? "" : alias + ".";
    String sql = select + (isId(ref) ? " WHERE " + p + "id = $1::uuid" : " WHERE " + p + "name = $1");
    return conn.preparedQuery(sql).execute(Tuple.of(ref)).compose(rs -> rs.size() == 0
        ? Future.failedFuture(new NotFoundException(kind + " '" + ref + "' does not exist"))
        : Future.succeededFuture(rs.iterator().next()));
  }

  /** @return the id of the resource {@code ref} names in {@code table} */
  static Future<String> resolve(SqlConnection conn, String table, String kind, String ref) {
    return one(conn, "SELECT id FROM " + table, kind, ref).map(r -> r.getUUID("id").toString());
  }
}
