package io.frontdesk.bench;

import io.frontdesk.Frontdesk;
import io.frontdesk.SettingsParser;
import io.frontdesk.accesslog.AccessLogWriter;
import io.frontdesk.accesslog.RequestIds;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Access-log benchmark (not a test; run by {@code bench/access-log-query.sh}): fills the access
 * log of a real node with N realistic records through its writer as fast as it takes them (the
 * sustained rows/s of the writer, indexes and rollups included), then times common queries of
 * {@code GET /api/v1/logs} and {@code /logs/stats} over HTTP.
 *
 * <p>Arguments: {@code --rows 10000000 --hours 72 --dir /tmp/fd-logbench}. A data directory that
 * already holds the rows is reused (only the queries run again).
 */
public final class AccessLogBench {

  private static final String TOKEN = "bench-token-" + java.util.UUID.randomUUID();
  private static final String[] SITES = {"shop", "api", "blog", "admin", "static"};
  private static final String[] AGENTS = {
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
      "curl/8.11.1", "python-requests/2.32.3", "Go-http-client/2.0", "okhttp/4.12.0",
      "Googlebot/2.1 (+http://www.google.com/bot.html)", "kube-probe/1.31", "Prometheus/3.0.1",
      "Wget/1.24.5"};

  private AccessLogBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>(Map.of("rows", "10000000", "hours", "72", "dir", "/tmp/fd-logbench"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    long rows = Long.parseLong(a.get("rows"));
    int hours = Integer.parseInt(a.get("hours"));
    Path dir = Path.of(a.get("dir"));
    Frontdesk node = Frontdesk.start(SettingsParser.parse(new String[] {"--bind", "127.0.0.1", "--http-port", "0",
        "--admin-port", "0", "--data-dir", dir.resolve("data").toString(), "--plugins-dir",
        dir.resolve("plugins").toString(), "--node-id", "bench", "--log-queue", "200000",
        "--log-retention-days", "30", "--admin-token", TOKEN}, Map.of()));
    try {
      String jdbc = node.database().jdbcUrl();
      try (Connection c = DriverManager.getConnection(jdbc, node.database().user(), node.database().password())) {
        long have = count(c);
        if (have < rows) {
          generate(node.accessLog(), rows - have, hours, have);
          System.out.println("ANALYZE …");
          try (Statement s = c.createStatement()) {
            s.execute("ANALYZE access_log");
          }
        } else {
          System.out.printf("reusing %,d rows in %s%n", have, dir);
        }
        printSizes(c);
      }
      queries("http://127.0.0.1:" + node.adminPort() + "/api/v1");
    } finally {
      node.close();
    }
  }

  static long count(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM access_log")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void printSizes(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*), pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
            + "WHERE inhparent = 'access_log'::regclass")) {
      rs.next();
      System.out.printf("access_log: %d partitions, %s with indexes%n", rs.getLong(1), rs.getString(2));
    }
  }

  /** Records in time order over the last {@code hours}, offered as fast as the writer's queue takes them. */
  static void generate(AccessLogWriter writer, long n, int hours, long already) {
    SplittableRandom rnd = new SplittableRandom(42 + already);
    Instant start = Instant.now().minus(Duration.ofHours(hours));
    double step = hours * 3_600_000_000.0 / n; // µs between records
    long written0 = writer.written();
    long t0 = System.nanoTime();
    long lastReport = t0;
    long lastWritten = 0;
    for (long i = 0; i < n; i++) {
      while (writer.queueDepth() > 50_000) { // below the spill threshold: measure the direct path
        LockSupport.parkNanos(200_000);
      }
      writer.offer(record(rnd, start.plusNanos((long) (i * step * 1000)), i));
      long now = System.nanoTime();
      if (now - lastReport > 10_000_000_000L) {
        long w = writer.written() - written0;
        System.out.printf("  %,d written, %,.0f rows/s over the last 10 s%n", w, (w - lastWritten) / ((now - lastReport) / 1e9));
        lastReport = now;
        lastWritten = w;
      }
    }
    while (writer.written() - written0 < n && writer.dropped() == 0) {
      LockSupport.parkNanos(50_000_000);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("WRITER: %,d rows in %.1f s = %,.0f rows/s sustained (dropped %d, spooled %d)%n",
        writer.written() - written0, secs, (writer.written() - written0) / secs, writer.dropped(), writer.spooled());
  }

  static AccessLogRecord record(SplittableRandom r, Instant ts, long i) {
    String site = SITES[zipf(r, SITES.length)];
    int roll = r.nextInt(1000);
    int status = roll < 880 ? 200 : roll < 920 ? 304 : roll < 950 ? 404 : roll < 965 ? 301 : roll < 975 ? 401
        : roll < 985 ? 429 : roll < 993 ? 500 : roll < 998 ? 502 : 504;
    String path = switch (site) {
      case "api" -> "/api/v2/" + (r.nextBoolean() ? "orders/" + r.nextInt(200_000) : "users/" + r.nextInt(50_000)
          + (r.nextInt(4) == 0 ? "/cart" : ""));
      case "static" -> "/assets/" + (r.nextBoolean() ? "js/app." : "css/site.") + Integer.toHexString(r.nextInt(64))
          + (r.nextBoolean() ? ".js" : ".css");
      case "blog" -> "/posts/" + (2020 + r.nextInt(7)) + "/" + "post-" + zipf(r, 3000);
      case "admin" -> "/admin/" + (r.nextBoolean() ? "login" : "reports/" + r.nextInt(500));
      default -> r.nextInt(5) == 0 ? "/search" : "/products/item-" + zipf(r, 20_000);
    };
    // Log-normal latency around 8 ms with a long tail; errors and 504s are slower.
    long micros = (long) (Math.exp(Math.log(8000) + 1.1 * r.nextGaussian())) + (status == 504 ? 30_000_000 : 0);
    String client = "10." + zipf(r, 50) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    String node = "node-" + (1 + r.nextInt(3));
    return AccessLogRecord.builder().timestamp(ts).node(node)
        .requestId(RequestIds.make(ts.toEpochMilli(), r)).site(site).route(site + "-main")
        .upstream(site).target("10.0.0." + (1 + r.nextInt(4)) + ":8080")
        .method(r.nextInt(10) == 0 ? "POST" : "GET").scheme("https").protocol("HTTP/2")
        .host(site + ".example.com").path(path).query(r.nextInt(3) == 0 ? "page=" + r.nextInt(20) : null)
        .status(status).requestBytes(r.nextInt(10) == 0 ? r.nextInt(20_000) : 0)
        .responseBytes(200 + r.nextInt(60_000)).durationMicros(micros).upstreamMicros(micros - 150)
        .clientIp(client).userAgent(AGENTS[zipf(r, AGENTS.length)])
        .referer(r.nextInt(4) == 0 ? "https://www.example.com/" : null).tlsVersion("TLSv1.3")
        .retries(r.nextInt(500) == 0 ? 1 : 0).details(null)
        .filters(List.of(new FilterTiming("headers", 4, 2, "continue"), new FilterTiming("rate-limit", 11, 0, "continue")))
        .attributes(Map.of()).build();
  }

  /** Roughly Zipf-distributed index in [0, n): a few values are very common, most are rare. */
  static int zipf(SplittableRandom r, int n) {
    return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, r.nextDouble()) - 1));
  }

  static void queries(String api) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonObject sample = get(http, api + "/logs?from=2h&limit=1&site=api").getJsonArray("items").getJsonObject(0);
    String requestId = sample.getString("requestId");
    String client = sample.getString("clientIp");
    String next = get(http, api + "/logs?from=24h&limit=100").getString("next");
    Map<String, String> qs = new LinkedHashMap<>();
    qs.put("newest 100 (last hour)", "/logs");
    qs.put("site, last hour", "/logs?site=shop");
    qs.put("site + 5xx, last 24 h", "/logs?site=api&status=5xx&from=24h");
    qs.put("status 404, last 24 h", "/logs?status=404&from=24h");
    qs.put("slower than 1 s, last 24 h", "/logs?minDurationMs=1000&from=24h");
    qs.put("slowest first, last hour", "/logs?sort=duration");
    qs.put("slowest first, site, last 24 h", "/logs?sort=duration&site=blog&from=24h");
    qs.put("path prefix, last 24 h", "/logs?pathPrefix=/api/v2/users/12&from=24h");
    qs.put("path contains, last 24 h", "/logs?pathContains=cart&from=24h");
    qs.put("client IP, whole range", "/logs?client=" + enc(client) + "&from=30d");
    qs.put("client /16, last 24 h", "/logs?client=" + enc("10.3.0.0/16") + "&from=24h");
    qs.put("request id, whole range", "/logs?requestId=" + enc(requestId));
    qs.put("text search, last 24 h", "/logs?q=" + enc("python-req") + "&from=24h");
    qs.put("POST + 5xx, last 72 h", "/logs?method=POST&status=5xx&from=72h");
    qs.put("second page (cursor)", "/logs?from=24h&limit=100&cursor=" + enc(next));
    qs.put("stats, last hour (1 min)", "/logs/stats");
    qs.put("stats, last 24 h (1 h)", "/logs/stats?from=24h&bucket=1h");
    qs.put("stats, site, last 72 h", "/logs/stats?from=72h&bucket=1h&site=shop");
    System.out.printf("%n%-34s %9s %9s %7s%n", "query", "median ms", "max ms", "items");
    for (Map.Entry<String, String> q : qs.entrySet()) {
      String url = api + q.getValue();
      JsonObject first = get(http, url); // warm: plans cached, pages in shared buffers
      double[] ms = new double[5];
      for (int i = 0; i < ms.length; i++) {
        long t = System.nanoTime();
        get(http, url);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(ms);
      int items = first.containsKey("items") ? first.getJsonArray("items").size()
          : first.getJsonArray("buckets", new io.vertx.core.json.JsonArray()).size();
      System.out.printf("%-34s %9.1f %9.1f %7d%n", q.getKey(), ms[2], ms[4], items);
    }
  }

  static JsonObject get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
