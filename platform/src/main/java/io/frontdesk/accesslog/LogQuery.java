package io.frontdesk.accesslog;

import io.frontdesk.net.Cidr;
import io.frontdesk.net.IpLiteral;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Searches the access log: the filters of {@code GET /api/v1/logs} turned into one parameterised
 * query over the day partitions of the time range, newest (or slowest) first, with keyset
 * pagination. Every parameter is checked; a bad one is a 400 naming it.
 */
public final class LogQuery {

  static final int MAX_LIMIT = 1000;
  /** Every parameter a search reads. */
  public static final java.util.Set<String> PARAMS = java.util.Set.of("from", "to", "site", "route", "upstream",
      "target", "status", "method", "pathPrefix", "pathContains", "client", "minDurationMs", "requestId", "q", "sort",
      "limit", "cursor");
  /** The largest {@code minDurationMs}: 30 days. */
  static final long MAX_DURATION_MS = 30L * 24 * 3600 * 1000;
  private static final Pattern STATUS = Pattern.compile("^([1-5][0-9][0-9]|[1-5]xx)$");
  private static final Pattern METHOD = Pattern.compile("^[A-Za-z]{1,16}$");

  /** The parsed filters. */
  public record Filters(
      Instant from, Instant to, String site, String route, String upstream, String target, List<Integer> statuses,
      List<Integer> statusClasses, List<String> methods, String pathPrefix, String pathContains, String client,
      Long minDurationMicros, String requestId, String text, boolean bySlowest, int limit, JsonObject cursor) {

    /** @return these filters over the part of {@code [a, b)} inside their range, or {@code null} when none is */
    Filters within(Instant a, Instant b) {
      Instant f = a.isAfter(from) ? a : from;
      Instant t = b.isBefore(to) ? b : to;
      return f.isBefore(t) ? new Filters(f, t, site, route, upstream, target, statuses, statusClasses, methods,
          pathPrefix, pathContains, client, minDurationMicros, requestId, text, bySlowest, limit, cursor) : null;
    }
  }

  private LogQuery() {
  }

  /**
   * @param param reads one query parameter ({@code null} when absent)
   * @throws InvalidConfigException listing every bad parameter
   */
  public static Filters parse(Function<String, String> param, int retentionDays) {
    List<FieldError> errors = new ArrayList<>();
    Instant now = Instant.now();
    String requestId = blank(param.apply("requestId"));
    Instant defaultFrom = requestId != null ? now.minus(Duration.ofDays(retentionDays + 1)) : now.minus(Duration.ofHours(1));
    Range range = range(param, now, defaultFrom, retentionDays, errors);
    List<Integer> statuses = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    String st = blank(param.apply("status"));
    if (st != null) {
      for (String s : st.split(",")) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (!STATUS.matcher(t).matches()) {
          errors.add(new FieldError("status", "'" + s + "' is not a status (404) or class (5xx)"));
        } else if (t.endsWith("xx")) {
          classes.add(t.charAt(0) - '0');
        } else {
          statuses.add(Integer.parseInt(t));
        }
      }
    }
    List<String> methods = new ArrayList<>();
    String m = blank(param.apply("method"));
    if (m != null) {
      for (String s : m.split(",")) {
        if (!METHOD.matcher(s.trim()).matches()) {
          errors.add(new FieldError("method", "'" + s + "' is not a method"));
        } else {
          methods.add(s.trim().toUpperCase(Locale.ROOT));
        }
      }
    }
    String client = blank(param.apply("client"));
    if (client != null) {
      try {
        Cidr.parse(client);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("client", e.getMessage()));
      }
    }
    Long minDuration = null;
    String md = blank(param.apply("minDurationMs"));
    if (md != null) {
      try {
        double v = Double.parseDouble(md);
        if (!(v >= 0 && v <= MAX_DURATION_MS)) {
          throw new NumberFormatException();
        }
        minDuration = (long) (v * 1000);
      } catch (NumberFormatException e) {
        errors.add(new FieldError("minDurationMs", "must be a number of milliseconds from 0 to " + MAX_DURATION_MS));
      }
    }
    String pathPrefix = blank(param.apply("pathPrefix"));
    if (pathPrefix != null && !pathPrefix.startsWith("/")) {
      errors.add(new FieldError("pathPrefix", "must start with '/'"));
    }
    String sort = param.apply("sort") == null ? "time" : param.apply("sort");
    if (!sort.equals("time") && !sort.equals("duration")) {
      errors.add(new FieldError("sort", "must be time or duration"));
    }
    int limit = 100;
    String l = blank(param.apply("limit"));
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
        if (limit < 1 || limit > MAX_LIMIT) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
      }
    }
    JsonObject cursor = null;
    String c = blank(param.apply("cursor"));
    if (c != null) {
      try {
        cursor = new JsonObject(new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8));
        OffsetDateTime.parse(cursor.getString("ts"));
        if (cursor.getString("node") == null || cursor.getLong("seq") == null
            || (sort.equals("duration") && cursor.getLong("d") == null)) {
          throw new IllegalArgumentException();
        }
      } catch (RuntimeException e) { // not base64, not JSON, wrong types
        errors.add(new FieldError("cursor", "is not a cursor from an earlier page of this query"));
      }
    }
    for (String name : List.of("q", "pathContains", "site", "route", "upstream", "target", "requestId")) {
      String v = param.apply(name);
      if (v != null && v.length() > 1024) {
        errors.add(new FieldError(name, "must have at most 1024 characters"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    return new Filters(range.from(), range.to(), blank(param.apply("site")), blank(param.apply("route")),
        blank(param.apply("upstream")), blank(param.apply("target")), statuses, classes, methods, pathPrefix,
        blank(param.apply("pathContains")), client, minDuration, requestId, blank(param.apply("q")),
        sort.equals("duration"), limit, cursor);
  }

  static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** A checked time range. */
  public record Range(Instant from, Instant to) {
  }

  /**
   * Reads {@code from} and {@code to}, clamped to what can exist: nothing older than the first
   * day kept ({@code keptDays} back from today) and nothing later than a day ahead, so a query
   * never scans past the data.
   */
  static Range range(Function<String, String> param, Instant now, Instant defaultFrom, int keptDays,
      List<FieldError> errors) {
    Instant from = time(param.apply("from"), "from", now, defaultFrom, errors);
    Instant to = time(param.apply("to"), "to", now, now.plusSeconds(60), errors);
    Instant oldest = now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(keptDays).atStartOfDay(ZoneOffset.UTC)
        .toInstant();
    Instant latest = now.plus(Duration.ofDays(1));
    if (to != null && to.isAfter(latest)) {
      to = latest;
    }
    if (from != null && to != null && from.isBefore(oldest)) {
      // A range wholly before the data kept finds nothing: keep it to a millisecond before its end.
      from = to.isAfter(oldest) ? oldest : to.minusMillis(1);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      errors.add(new FieldError("from", "must be before to"));
    }
    return new Range(from, to);
  }

  /** ISO-8601 instant, or a duration back from now: {@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}. */
  static Instant time(String v, String field, Instant now, Instant def, List<FieldError> errors) {
    String s = blank(v);
    if (s == null) {
      return def;
    }
    if (s.matches("^[0-9]{8,}[smhd]$")) {
      errors.add(new FieldError(field, "is too large: an age is at most 7 digits, such as 15m or 30d"));
      return null;
    }
    if (s.matches("^[0-9]{1,7}[smhd]$")) {
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      Duration d = switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (java.time.DateTimeException | ArithmeticException e) {
      errors.add(new FieldError(field, "must be an ISO-8601 time (2026-01-31T14:00:00Z) or an age such as 15m"));
      return null;
    }
  }

  /** The WHERE clause and its arguments, shared by the search and the export. */
  record Where(String sql, List<Object> args) {
  }

  static Where where(Filters f) {
    List<String> c = new ArrayList<>();
    List<Object> a = new ArrayList<>();
    a.add(OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
    c.add("ts >= $" + a.size());
    a.add(OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC));
    c.add("ts < $" + a.size());
    eq(c, a, "site", f.site());
    eq(c, a, "route", f.route());
    eq(c, a, "upstream", f.upstream());
    eq(c, a, "target", f.target());
    eq(c, a, "request_id", f.requestId());
    // Statuses and durations are checked numbers, written as literals so the planner can prove a
    // query is inside a partial index (errors: status >= 400; slow: duration >= 500 ms).
    List<String> status = new ArrayList<>();
    for (int st : f.statuses()) {
      status.add("status = " + st);
    }
    for (int cls : f.statusClasses()) {
      status.add("(status >= " + cls * 100 + " AND status < " + (cls * 100 + 100) + ")");
    }
    if (!status.isEmpty()) {
      c.add("(" + String.join(" OR ", status) + ")");
    }
    if (!f.methods().isEmpty()) {
      a.add(f.methods().toArray(String[]::new));
      c.add("method = ANY($" + a.size() + ")");
    }
    if (f.pathPrefix() != null) {
      a.add(likeEscape(f.pathPrefix()) + "%");
      c.add("path LIKE $" + a.size());
    }
    if (f.pathContains() != null) {
      a.add("%" + likeEscape(f.pathContains()) + "%");
      c.add("path ILIKE $" + a.size());
    }
    if (f.client() != null) {
      a.add(f.client());
      String param = "$" + a.size() + "::text::inet";
      c.add(IpLiteral.parse(f.client()) != null ? "client_ip = " + param : "client_ip <<= " + param);
    }
    if (f.minDurationMicros() != null) {
      c.add("duration_us >= " + f.minDurationMicros());
    }
    if (f.text() != null) {
      a.add("%" + likeEscape(f.text()) + "%");
      c.add("(path ILIKE $" + a.size() + " OR user_agent ILIKE $" + a.size() + ")");
    }
    return new Where(String.join(" AND ", c), a);
  }

  private static void eq(List<String> c, List<Object> a, String col, String v) {
    if (v != null) {
      a.add(v);
      c.add(col + " = $" + a.size());
    }
  }

  private static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** Rows at least this slow are in the partial index {@code access_log_slow}. */
  static final long SLOW_MICROS = 500_000;

  /** How far from the time in a request id its row is looked for first. */
  static final Duration ID_SLACK = Duration.ofMinutes(1);

  /**
   * @return {@code {items: [...], next: cursor|null}}
   */
  public static Future<JsonObject> search(SqlClient pool, Filters f) {
    // One address is found through the Bloom summaries in a few pages per partition, but the
    // planner's BRIN estimate cannot tell and may scan a whole day instead (900 ms vs 10 ms over
    // 10 million rows): searches run in their own transaction (LogSearches), so say it there,
    // once for all the pages this search reads.
    Future<?> plan = f.client() != null && IpLiteral.parse(f.client()) != null
        ? pool.query("SET LOCAL enable_seqscan = off").execute() : Future.succeededFuture();
    return plan.compose(x -> searchNearId(pool, f));
  }

  private static Future<JsonObject> searchNearId(SqlClient pool, Filters f) {
    // Request ids are not indexed: one made here carries its time, so the minutes around it are
    // searched first through the primary key; an id made elsewhere (or not found there) is
    // looked for in the whole range.
    Instant made = f.requestId() == null || f.cursor() != null ? null : RequestIds.madeAt(f.requestId());
    Filters near = made == null ? null : f.within(made.minus(ID_SLACK), made.plus(ID_SLACK));
    if (near == null) {
      return searchRange(pool, f);
    }
    return searchRange(pool, near).compose(page -> page.getJsonArray("items").isEmpty() ? searchRange(pool, f)
        : Future.succeededFuture(page));
  }

  private static Future<JsonObject> searchRange(SqlClient pool, Filters f) {
    JsonObject cursor = f.cursor();
    boolean slowOnly = f.minDurationMicros() != null && f.minDurationMicros() >= SLOW_MICROS;
    if (!f.bySlowest() || slowOnly) {
      return page(pool, f, null, f.limit(), cursor).map(LogQuery::withoutLast);
    }
    // Slowest first: the slow rows come from their index; the rest of the range is scanned only
    // when they do not fill the page.
    String fast = "duration_us < " + SLOW_MICROS;
    if (cursor != null && cursor.getLong("d") < SLOW_MICROS) {
      return page(pool, f, fast, f.limit(), cursor).map(LogQuery::withoutLast);
    }
    return page(pool, f, "duration_us >= " + SLOW_MICROS, f.limit(), cursor).compose(slow -> {
      JsonArray items = slow.getJsonArray("items");
      if (items.size() == f.limit()) {
        // A full page: go on from its last row (the fast rows follow even when no slow one does).
        return Future.succeededFuture(new JsonObject().put("items", items).put("next", slow.getString("last")));
      }
      return page(pool, f, fast, f.limit() - items.size(), null).map(rest -> {
        items.addAll(rest.getJsonArray("items"));
        return new JsonObject().put("items", items).put("next", rest.getString("next"));
      });
    });
  }

  private static JsonObject withoutLast(JsonObject page) {
    page.remove("last");
    return page;
  }

  private static Future<JsonObject> page(SqlClient pool, Filters f, String extra, int limit, JsonObject cursor) {
    Where w = where(f);
    List<Object> a = new ArrayList<>(w.args());
    String sql = "SELECT *, host(client_ip) AS client_text FROM access_log WHERE " + w.sql()
        + (extra == null ? "" : " AND " + extra);
    if (cursor != null) {
      a.add(OffsetDateTime.parse(cursor.getString("ts")));
      a.add(cursor.getString("node"));
      a.add(cursor.getLong("seq"));
      int n = a.size();
      if (f.bySlowest()) {
        a.add(cursor.getLong("d"));
        sql += " AND (duration_us, ts, node, seq) < ($" + (n + 1) + ", $" + (n - 2) + ", $" + (n - 1) + ", $" + n + ")";
      } else {
        sql += " AND (ts, node, seq) < ($" + (n - 2) + ", $" + (n - 1) + ", $" + n + ")";
      }
    }
    sql += f.bySlowest() ? " ORDER BY duration_us DESC, ts DESC, node DESC, seq DESC" : " ORDER BY ts DESC, node DESC, seq DESC";
    a.add(limit + 1);
    sql += " LIMIT $" + a.size();
    return pool.preparedQuery(sql).execute(Tuple.from(a)).map(rs -> {
      JsonArray items = new JsonArray();
      Row last = null;
      int i = 0;
      for (Row r : rs) {
        if (i++ == limit) {
          break;
        }
        items.add(toJson(r));
        last = r;
      }
      String lastCursor = null;
      if (last != null) {
        JsonObject cur = new JsonObject().put("ts", last.getOffsetDateTime("ts").toString())
            .put("node", last.getString("node")).put("seq", last.getLong("seq"));
        if (f.bySlowest()) {
          cur.put("d", last.getLong("duration_us"));
        }
        lastCursor = Base64.getUrlEncoder().withoutPadding().encodeToString(cur.encode().getBytes(StandardCharsets.UTF_8));
      }
      // "last" is for search(): where a page that happens to end a partial index continues.
      return new JsonObject().put("items", items).put("next", rs.size() > limit ? lastCursor : null)
          .put("last", lastCursor);
    });
  }

  /** A stored row as the API shows it (the record's JSON form). */
  public static JsonObject toJson(Row r) {
    JsonObject j = new JsonObject().put("timestamp", r.getOffsetDateTime("ts").toInstant().toString())
        .put("node", r.getString("node")).put("requestId", r.getString("request_id"))
        .put("site", r.getString("site")).put("route", r.getString("route")).put("upstream", r.getString("upstream"))
        .put("target", r.getString("target")).put("method", r.getString("method")).put("scheme", r.getString("scheme"))
        .put("protocol", r.getString("protocol")).put("host", r.getString("host")).put("path", r.getString("path"))
        .put("query", r.getString("query")).put("status", r.getShort("status").intValue())
        .put("requestBytes", r.getLong("request_bytes")).put("responseBytes", r.getLong("response_bytes"))
        .put("durationMicros", r.getLong("duration_us")).put("upstreamMicros", r.getLong("upstream_us"))
        .put("clientIp", r.getString("client_text"))
        .put("userAgent", r.getString("user_agent")).put("referer", r.getString("referer"))
        .put("tlsVersion", r.getString("tls_version")).put("retries", r.getShort("retries").intValue())
        .put("details", r.getString("details"));
    Object filters = r.getValue("filters");
    if (filters != null) {
      j.put("filters", expandFilters(filters instanceof JsonArray fa ? fa : new JsonArray(String.valueOf(filters))));
    }
    Object attrs = r.getValue("attributes");
    if (attrs != null) {
      j.put("attributes", attrs instanceof JsonObject ao ? ao : new JsonObject(String.valueOf(attrs)));
    }
    j.fieldNames().removeIf(k -> j.getValue(k) == null);
    return j;
  }

  /**
   * Stored compactly as arrays (without the outcome when it is continue); shown as objects, like
   * the record's JSON form.
   */
  private static JsonArray expandFilters(JsonArray stored) {
    JsonArray out = new JsonArray();
    for (Object o : stored) {
      if (o instanceof JsonArray f && (f.size() == 3 || f.size() == 4)) {
        out.add(new JsonObject().put("plugin", f.getString(0)).put("requestMicros", f.getLong(1))
            .put("responseMicros", f.getLong(2))
            .put("outcome", f.size() == 3 ? CopyEncoder.CONTINUE : f.getString(3)));
      } else {
        out.add(o);
      }
    }
    return out;
  }

  /** For the export: the same search, any number of pages. */
  public static Map<String, Object> csvColumns(JsonObject item) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (String k : List.of("timestamp", "node", "requestId", "site", "route", "upstream", "target", "method", "scheme",
        "protocol", "host", "path", "query", "status", "requestBytes", "responseBytes", "durationMicros",
        "upstreamMicros", "clientIp", "userAgent", "referer", "tlsVersion", "retries", "details")) {
      m.put(k, item.getValue(k));
    }
    return m;
  }
}
