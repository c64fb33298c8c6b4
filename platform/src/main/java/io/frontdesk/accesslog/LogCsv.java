package io.frontdesk.accesslog;

import io.vertx.core.json.JsonObject;

/**
 * One access-log record as a CSV line (RFC 4180 quoting). Text that a spreadsheet would run as a
 * formula — a cell starting with {@code = + - @}, a tab or a carriage return — gets a leading
 * single quote (OWASP's CSV-injection advice): paths, user agents and referers come from clients.
 */
public final class LogCsv {

  private LogCsv() {
  }

  /** @return the header line, without its line break */
  public static String header() {
    return String.join(",", LogQuery.csvColumns(new JsonObject()).keySet());
  }

  /** @return the record's line, without its line break */
  public static String line(JsonObject item) {
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (Object v : LogQuery.csvColumns(item).values()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      if (v != null) {
        sb.append(cell(v instanceof String s ? neutralise(s) : String.valueOf(v)));
      }
    }
    return sb.toString();
  }

  static String neutralise(String s) {
    if (s.isEmpty()) {
      return s;
    }
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
  }

  private static String cell(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
