package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The access log's SQL over the Vert.x client: the insert that skips rows stored before, with the
 * rollups of only the new rows (one statement, so rows and rollups never disagree and a replayed
 * row counts once) — what spool replays use, fresh batches go by {@link LogCopier} — the hourly
 * top lists, daily partitions and retention.
 */
public final class AccessLogStore {

  static final String COLUMNS = "ts, node, seq, request_id, site, route, upstream, target, method, scheme, protocol, "
      + "host, path, query, status, request_bytes, response_bytes, duration_us, upstream_us, client_ip, user_agent, "
      + "referer, tls_version, retries, details, filters, attributes";

  /**
   * One statement per batch: the rows, and the rollups of only the rows that were new (a replayed
   * spool counts once), so rollups and rows never disagree.
   */
  static final String INSERT = """
      WITH rows AS (
        SELECT ts, node, seq, request_id, site, route, upstream, target, method, scheme, protocol, host, path,
               query, status, request_bytes, response_bytes, duration_us, upstream_us, client_ip::inet, user_agent,
               referer, tls_version, retries, details, filters::json, attributes::jsonb
        FROM unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
                    $14::text[], $15::smallint[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[],
                    $20::text[], $21::text[], $22::text[], $23::text[], $24::smallint[], $25::text[],
                    $26::text[], $27::text[])
          AS r(ts, node, seq, request_id, site, route, upstream, target, method, scheme, protocol, host, path,
               query, status, request_bytes, response_bytes, duration_us, upstream_us, client_ip, user_agent,
               referer, tls_version, retries, details, filters, attributes)
      ), ins AS (
        INSERT INTO access_log (%1$s) SELECT %1$s FROM rows ON CONFLICT DO NOTHING
        RETURNING ts, coalesce(site, '') AS site, coalesce(route, '') AS route, status, request_bytes,
                  response_bytes, duration_us, access_log_latency_bucket(duration_us) AS lb
      ), grains AS (
        SELECT g.grain, date_trunc(CASE g.grain WHEN 'm' THEN 'minute' ELSE 'hour' END, i.ts) AS bucket,
               i.site, i.route, i.status, i.request_bytes, i.response_bytes, i.duration_us, i.lb
        FROM ins i CROSS JOIN (VALUES ('m'), ('h')) AS g(grain)
      ), r AS (
        INSERT INTO access_log_rollup AS t
        SELECT grain, bucket, site, route, status, count(*), sum(request_bytes), sum(response_bytes), sum(duration_us)
        FROM grains GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (grain, bucket, site, route, status) DO UPDATE SET
          requests = t.requests + excluded.requests, request_bytes = t.request_bytes + excluded.request_bytes,
          response_bytes = t.response_bytes + excluded.response_bytes, duration_us = t.duration_us + excluded.duration_us
      ), l AS (
        INSERT INTO access_log_latency AS t
        SELECT grain, bucket, site, route, lb, count(*)
        FROM grains GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (grain, bucket, site, route, lb) DO UPDATE SET requests = t.requests + excluded.requests
      )
      SELECT count(*) FROM ins
      """.formatted(COLUMNS);

  private final Pool pool;

  public AccessLogStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** @return how many rows were new (the rest were already stored) */
  public Future<Integer> insert(List<LogRow> rows) {
    int n = rows.size();
    OffsetDateTime[] ts = new OffsetDateTime[n];
    String[] node = new String[n];
    Long[] seq = new Long[n];
    String[] rid = new String[n];
    String[] site = new String[n];
    String[] route = new String[n];
    String[] upstream = new String[n];
    String[] target = new String[n];
    String[] method = new String[n];
    String[] scheme = new String[n];
    String[] protocol = new String[n];
    String[] host = new String[n];
    String[] path = new String[n];
    String[] query = new String[n];
    Short[] status = new Short[n];
    Long[] reqBytes = new Long[n];
    Long[] resBytes = new Long[n];
    Long[] duration = new Long[n];
    Long[] upstreamUs = new Long[n];
    String[] client = new String[n];
    String[] ua = new String[n];
    String[] referer = new String[n];
    String[] tls = new String[n];
    Short[] retries = new Short[n];
    String[] details = new String[n];
    String[] filters = new String[n];
    String[] attrs = new String[n];
    for (int i = 0; i < n; i++) {
      LogRow row = rows.get(i);
      AccessLogRecord r = row.record();
      ts[i] = OffsetDateTime.ofInstant(r.timestamp(), ZoneOffset.UTC);
      node[i] = r.node();
      seq[i] = row.seq();
      rid[i] = r.requestId();
      site[i] = r.site();
      route[i] = r.route();
      upstream[i] = r.upstream();
      target[i] = r.target();
      method[i] = r.method();
      scheme[i] = r.scheme();
      protocol[i] = r.protocol();
      host[i] = clip(r.host(), 255);
      path[i] = clip(r.path(), 4096);
      query[i] = clip(r.query(), 4096);
      status[i] = (short) r.status();
      reqBytes[i] = r.requestBytes();
      resBytes[i] = r.responseBytes();
      duration[i] = r.durationMicros();
      upstreamUs[i] = r.upstreamMicros() < 0 ? null : r.upstreamMicros();
      client[i] = validIp(r.clientIp());
      ua[i] = clip(r.userAgent(), 1024);
      referer[i] = clip(r.referer(), 2048);
      tls[i] = r.tlsVersion();
      retries[i] = (short) r.retries();
      details[i] = clip(r.details(), 1024);
      filters[i] = r.filters().isEmpty() ? null : CopyEncoder.filtersJson(r.filters());
      attrs[i] = r.attributes().isEmpty() ? null : new JsonObject(Map.copyOf(r.attributes())).encode();
    }
    Tuple t = Tuple.tuple(List.of(ts, node, seq, rid, site, route, upstream, target, method, scheme, protocol, host,
        path, query, status, reqBytes, resBytes, duration, upstreamUs, client, ua, referer, tls, retries, details,
        filters, attrs));
    return pool.preparedQuery(INSERT).execute(t).map(rs -> rs.iterator().next().getInteger(0));
  }

  static final String TOP_PATHS = """
      INSERT INTO access_log_top_paths AS t
      SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
      ON CONFLICT (bucket, site, path) DO UPDATE SET requests = t.requests + excluded.requests,
        errors = t.errors + excluded.errors
      """;

  static final String TOP_CLIENTS = """
      INSERT INTO access_log_top_clients AS t
      SELECT b, s, c::inet, r, e FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
        AS x(b, s, c, r, e)
      ON CONFLICT (bucket, site, client_ip) DO UPDATE SET requests = t.requests + excluded.requests,
        errors = t.errors + excluded.errors
      """;

  /** Adds counts to the hourly top lists, both in one transaction. */
  public Future<Void> addTopCounts(List<TopLists.Count> paths, List<TopLists.Count> clients) {
    if (paths.isEmpty() && clients.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(c -> c.preparedQuery(TOP_PATHS).execute(topTuple(paths, 4096))
        .compose(x -> c.preparedQuery(TOP_CLIENTS).execute(topTuple(clients, 64)))).mapEmpty();
  }

  private static Tuple topTuple(List<TopLists.Count> counts, int maxKey) {
    int n = counts.size();
    OffsetDateTime[] hour = new OffsetDateTime[n];
    String[] site = new String[n];
    String[] key = new String[n];
    Long[] requests = new Long[n];
    Long[] errors = new Long[n];
    for (int i = 0; i < n; i++) {
      TopLists.Count c = counts.get(i);
      hour[i] = OffsetDateTime.ofInstant(c.hour(), ZoneOffset.UTC);
      site[i] = c.site();
      key[i] = clip(c.key(), maxKey);
      requests[i] = c.requests();
      errors[i] = c.errors();
    }
    return Tuple.of(hour, site, key, requests, errors);
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return null;
    }
    String clean = s.indexOf('\u0000') >= 0 ? s.replace("\u0000", "") : s; // text cannot hold NUL
    return clean.length() > max ? clean.substring(0, max) : clean;
  }

  private static String validIp(String ip) {
    return ip == null || io.frontdesk.net.IpLiteral.parse(ip) == null ? null : ip;
  }

  /**
   * Summarizes the pages written since the last time into the BRIN index of (site, client), in
   * every day partition (a partition with nothing new costs a look at its index's map).
   *
   * @return the page ranges summarized
   */
  public Future<Long> summarizeNewPages() {
    // A vacuum of a partition holds the lock summarizing needs; waiting past deadlock_timeout
    // would cancel that vacuum (again and again, every 10 s), so this round gives up instead.
    return pool.withTransaction(c -> c.query("SET LOCAL lock_timeout = '100ms'").execute()
        .compose(x -> c.query("SELECT coalesce(sum(brin_summarize_new_values(i.inhrelid)), 0) FROM pg_inherits i "
            + "WHERE i.inhparent = 'access_log_site_client_brin'::regclass").execute()))
        .map(rs -> rs.iterator().next().getLong(0));
  }

  // ---------------------------------------------------------------------------------------------
  // Partitions and retention.

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  /** Creates the daily partitions from yesterday to {@code daysAhead} days ahead (idempotent). */
  public Future<Void> ensurePartitions(LocalDate today, int daysAhead) {
    Future<Void> f = Future.succeededFuture();
    for (int d = -1; d <= daysAhead; d++) {
      LocalDate day = today.plusDays(d);
      f = f.compose(v -> createPartition(day));
    }
    return f;
  }

  public Future<Void> createPartition(LocalDate day) {
    String name = "access_log_" + DAY.format(day);
    String sql = "CREATE TABLE " + name + " PARTITION OF access_log FOR VALUES FROM ('" + day
        + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')";
    // An advisory lock keeps nodes from racing on the same DDL. The partition is looked for first:
    // CREATE ... IF NOT EXISTS would answer a NOTICE for every existing one, logged as a warning at
    // every start.
    return pool.withTransaction(c -> c.query("SELECT pg_advisory_xact_lock(7317001)").execute()
        .compose(x -> c.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(name)))
        .compose(rs -> rs.iterator().next().getBoolean(0) ? Future.succeededFuture() : c.query(sql).execute()))
        .mapEmpty();
  }

  /**
   * Drops day partitions older than {@code retentionDays} and rollups older than their horizon.
   *
   * @return the partitions dropped
   */
  public Future<List<String>> applyRetention(LocalDate today, int retentionDays, int minuteRollupDays,
      int hourRollupDays) {
    String cutoff = "access_log_" + DAY.format(today.minusDays(retentionDays));
    return pool.withTransaction(c -> c.query("SELECT pg_advisory_xact_lock(7317001)").execute()
        .compose(x -> c.preparedQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'access_log' AND c.relname < $1 "
            + "AND c.relname ~ '^access_log_[0-9]{8}$' ORDER BY c.relname").execute(Tuple.of(cutoff)))
        .compose(rs -> {
          List<String> names = new ArrayList<>();
          rs.forEach(r -> names.add(r.getString(0)));
          Future<Void> f = Future.succeededFuture();
          for (String n : names) {
            f = f.compose(v -> c.query("DROP TABLE IF EXISTS " + n).execute().mapEmpty());
          }
          OffsetDateTime minuteCut = today.minusDays(minuteRollupDays).atStartOfDay().atOffset(ZoneOffset.UTC);
          OffsetDateTime hourCut = today.minusDays(hourRollupDays).atStartOfDay().atOffset(ZoneOffset.UTC);
          return f.compose(v -> c.preparedQuery("DELETE FROM access_log_rollup WHERE (grain = 'm' AND bucket < $1) "
                  + "OR bucket < $2").execute(Tuple.of(minuteCut, hourCut)))
              .compose(v -> c.preparedQuery("DELETE FROM access_log_latency WHERE (grain = 'm' AND bucket < $1) "
                  + "OR bucket < $2").execute(Tuple.of(minuteCut, hourCut)))
              .compose(v -> c.preparedQuery("DELETE FROM access_log_top_paths WHERE bucket < $1").execute(Tuple.of(hourCut)))
              .compose(v -> c.preparedQuery("DELETE FROM access_log_top_clients WHERE bucket < $1")
                  .execute(Tuple.of(hourCut)))
              .map(v -> names);
        }));
  }
}
