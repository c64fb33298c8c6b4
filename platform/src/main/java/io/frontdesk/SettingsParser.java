package io.frontdesk;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import io.frontdesk.proxy.ProxyLimits;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link Settings} from command-line flags, then environment variables, then defaults. A
 * flag {@code --http-port 8080} (or {@code --http-port=8080}) matches {@code FRONTDESK_HTTP_PORT}.
 */
public final class SettingsParser {

  /** One setting: its flag, environment variable, default and help text. */
  record Option(String flag, String env, String defaultValue, String help, boolean isSwitch) {
  }

  static final List<Option> OPTIONS = List.of(
      opt("bind", "0.0.0.0", "address the proxy listens on"),
      opt("http-port", "8080", "proxy port for HTTP/1.1 and h2c"),
      opt("https-port", "", "proxy port for HTTPS (HTTP/1.1 and h2); needs --tls-cert and --tls-key"),
      opt("tls-cert", "", "PEM certificate chain for the HTTPS port"),
      opt("tls-key", "", "PEM private key (PKCS#8) for the HTTPS port"),
      opt("admin-bind", "127.0.0.1", "address of the admin server (API and dashboard)"),
      opt("admin-port", "9000", "port of the admin server"),
      opt("data-dir", "<jar dir>/data", "where the embedded PostgreSQL and plugin data live"),
      opt("db-url", "", "external PostgreSQL (postgresql://user:pass@host:5432/db); empty = embedded"),
      opt("db-user", "", "database user, when not in the URL"),
      opt("db-password", "", "database password, when not in the URL"),
      opt("plugins-dir", "<jar dir>/plugins", "folder of plugin jars, watched while running"),
      opt("trusted-proxies", "", "comma-separated CIDRs whose X-Forwarded-* and X-Request-Id are believed"),
      opt("node-id", "<host name>-<http port>", "this node's name among nodes sharing the database"),
      opt("drain-timeout", "30s", "on shutdown, how long requests in flight may take to finish"),
      opt("keepalive-timeout", "75s", "idle time before a client keep-alive connection is closed"),
      opt("upstream-idle-timeout", "60s", "idle time before a pooled upstream connection is closed"),
      opt("upstream-connections", "512", "connections to one target per event loop; a request beyond them waits for one "
          + "(up to the upstream's connect timeout, then 503)"),
      opt("tunnel-idle-timeout", "1h", "idle time before an upgraded (WebSocket) connection is closed"),
      opt("header-timeout", "10s", "longest a client may take to send a request head (then 408 and close)"),
      opt("max-connections", "100000", "client connections open at once on this node (0 = no limit)"),
      opt("max-connections-per-client", "0", "client connections open at once from one address (0 = no limit)"),
      opt("max-request-body", "0", "largest request body of a route without its own maxRequestBodyBytes (413; 0 = no limit)"),
      opt("filter-timeout", "10s", "longest a plugin filter may take to decide (then 500, or skipped if fail-open)"),
      opt("reload-timeout", "30s", "longest loading and compiling a new configuration may take (then reported, old one kept)"),
      opt("event-loops", "<CPU cores>", "event-loop threads serving traffic"),
      opt("redact-query", "token,access_token,password,secret,api_key,apikey,key,sig,signature",
          "query parameters whose values the access log replaces with REDACTED"),
      opt("access-log", "on", "store every request in PostgreSQL (on/off); log sinks and live traffic work either way"),
      opt("log-retention-days", "14", "days of access log kept (older day partitions are dropped)"),
      opt("log-spool-max", "1g", "most disk the access-log spool may use while PostgreSQL is unreachable"),
      opt("log-queue", "100000", "access-log records waiting in memory; past three quarters of it the backlog goes to the spool on disk"),
      opt("log-search-timeout", "10s", "longest one access-log query of the admin API may run (then 503)"),
      opt("log-searches-per-caller", "4", "access-log queries one user or token may run at once (then 429)"),
      opt("admin-password", "", "password of the first account, admin, made when there is none; empty = random, printed once"),
      opt("admin-token", "", "an admin API token for scripted set-up (send it as Authorization: Bearer <token>)"),
      opt("admin-session-idle", "30m", "signed-in dashboard sessions end after this long without use"),
      opt("h2-max-concurrent-streams", "100", "HTTP/2 streams one client connection may have open at once (each holds an upstream connection)"),
      opt("h2-max-header-list-size", "64k", "largest header list of an HTTP/2 request (SETTINGS_MAX_HEADER_LIST_SIZE)"),
      opt("admin-idle-timeout", "60s", "an admin-server connection with no traffic for this long is closed"),
      opt("metrics-token", "", "when set, /metrics needs Authorization: Bearer <this token> (at least 16 characters)"),
      opt("filter-stall", "2s", "a plugin filter holding its event loop this long is named, counted and its binding tripped"),
      new Option("demo", "FRONTDESK_DEMO", "false", "create the demo site with two built-in backends (removable)", true));

  private static Option opt(String flag, String def, String help) {
    return new Option(flag, "FRONTDESK_" + flag.toUpperCase().replace('-', '_'), def, help, false);
  }

  /** Thrown for {@code --help}: the message is the usage text. */
  public static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HelpRequested(String usage) {
      super(usage, null, false, false);
    }
  }

  private SettingsParser() {
  }

  /**
   * @throws IllegalArgumentException naming the bad flag or variable
   * @throws HelpRequested for {@code --help}
   */
  public static Settings parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Option o : OPTIONS) {
      String e = env.get(o.env());
      if (e != null && !e.isBlank()) {
        values.put(o.flag(), e.trim());
      }
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new HelpRequested(usage());
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "' (see --help)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      String flag = name;
      Option o = OPTIONS.stream().filter(x -> x.flag().equals(flag)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown option --" + flag + " (see --help)"));
      if (o.isSwitch()) {
        values.put(flag, value == null ? "true" : value);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + flag + " needs a value");
        }
        value = args[++i];
      }
      values.put(flag, value);
    }
    return build(values);
  }

  private static Settings build(Map<String, String> v) {
    Path jarDir = jarDirectory();
    int httpPort = port(v, "http-port", 8080);
    String httpsRaw = v.getOrDefault("https-port", "");
    int httpsPort = httpsRaw.isEmpty() ? -1 : port(v, "https-port", -1);
    Path tlsCert = path(v, "tls-cert");
    Path tlsKey = path(v, "tls-key");
    if (httpsPort >= 0 && (tlsCert == null || tlsKey == null)) {
      throw new IllegalArgumentException("--https-port needs --tls-cert and --tls-key");
    }
    String nodeId = v.get("node-id");
    if (nodeId == null) {
      // Port 0 binds a random port: the name gets a random suffix instead, to stay unique.
      nodeId = hostName() + "-" + (httpPort != 0 ? Integer.toString(httpPort)
          : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL));
    }
    String loops = v.get("event-loops");
    int eventLoops = loops == null ? Runtime.getRuntime().availableProcessors() : positiveInt("event-loops", loops);
    List<String> trusted = list(v.get("trusted-proxies"));
    for (String t : trusted) {
      io.frontdesk.net.Cidr.parse(t); // fail at start, not at the first request
    }
    return new Settings(
        v.getOrDefault("bind", "0.0.0.0"),
        httpPort, httpsPort, tlsCert, tlsKey,
        v.getOrDefault("admin-bind", "127.0.0.1"),
        port(v, "admin-port", 9000),
        v.containsKey("data-dir") ? Path.of(v.get("data-dir")).toAbsolutePath() : jarDir.resolve("data"),
        blankToNull(v.get("db-url")), blankToNull(v.get("db-user")), blankToNull(v.get("db-password")),
        v.containsKey("plugins-dir") ? Path.of(v.get("plugins-dir")).toAbsolutePath() : jarDir.resolve("plugins"),
        trusted, nodeId,
        duration(v, "drain-timeout", "30s"),
        duration(v, "keepalive-timeout", "75s"),
        duration(v, "upstream-idle-timeout", "60s"),
        positiveInt("upstream-connections", v.getOrDefault("upstream-connections", "512")),
        duration(v, "tunnel-idle-timeout", "1h"),
        duration(v, "filter-timeout", "10s"),
        eventLoops,
        list(v.getOrDefault("redact-query", OPTIONS.stream().filter(o -> o.flag().equals("redact-query"))
            .findFirst().orElseThrow().defaultValue())),
        onOff(v, "access-log", true),
        positiveInt("log-retention-days", v.getOrDefault("log-retention-days", "14")),
        bytes(v, "log-spool-max", "1g"),
        positiveInt("log-queue", v.getOrDefault("log-queue", "100000")),
        duration(v, "log-search-timeout", "10s"),
        positiveInt("log-searches-per-caller", v.getOrDefault("log-searches-per-caller", "4")),
        adminPassword(v.getOrDefault("admin-password", "")), adminToken(v.getOrDefault("admin-token", "")),
        duration(v, "admin-session-idle", "30m"),
        duration(v, "admin-idle-timeout", "60s"),
        secret("metrics-token", v.getOrDefault("metrics-token", "")),
        duration(v, "filter-stall", "2s"),
        Boolean.parseBoolean(v.getOrDefault("demo", "false")),
        new ProxyLimits(duration(v, "header-timeout", "10s"),
            nonNegativeInt("max-connections", v.getOrDefault("max-connections", "100000")),
            nonNegativeInt("max-connections-per-client", v.getOrDefault("max-connections-per-client", "0")),
            v.getOrDefault("max-request-body", "0").trim().equals("0") ? 0 : bytes(v, "max-request-body", "0")),
        positiveInt("h2-max-concurrent-streams", v.getOrDefault("h2-max-concurrent-streams", "100")),
        (int) Math.min(Integer.MAX_VALUE, bytes(v, "h2-max-header-list-size", "64k")),
        duration(v, "reload-timeout", "30s"));
  }

  private static int nonNegativeInt(String flag, String value) {
    return value.trim().equals("0") ? 0 : positiveInt(flag, value);
  }

  private static String adminPassword(String p) {
    if (!p.isEmpty() && p.length() < 12) {
      throw new IllegalArgumentException("--admin-password must be at least 12 characters");
    }
    return p;
  }

  private static String secret(String flag, String t) {
    if (!t.isEmpty() && t.length() < 16) {
      throw new IllegalArgumentException("--" + flag + " must be at least 16 characters (it is a password)");
    }
    return t;
  }

  private static String adminToken(String t) {
    if (!t.isEmpty() && t.length() < 16) {
      throw new IllegalArgumentException("--admin-token must be at least 16 characters (it is a password)");
    }
    return t;
  }

  static String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("Frontdesk — reverse proxy with a plugin chain and a dashboard\n\n")
        .append("Usage: java -jar frontdesk.jar [options]\n\n")
        .append("Every option is also an environment variable (shown on the right).\n\n");
    for (Option o : OPTIONS) {
      String left = "  --" + o.flag() + (o.isSwitch() ? "" : " <value>");
      sb.append(String.format("%-34s %s%n", left, o.help()));
      sb.append(String.format("%-34s   %s%s%n", "", o.env(),
          o.defaultValue().isEmpty() ? "" : " (default: " + o.defaultValue() + ")"));
    }
    sb.append(String.format("%-34s %s%n", "  --help", "show this text"));
    sb.append("\nDurations take a unit: 500ms, 30s, 5m, 1h.\n");
    return sb.toString();
  }

  private static boolean onOff(Map<String, String> v, String flag, boolean def) {
    String s = v.get(flag);
    if (s == null) {
      return def;
    }
    return switch (s.trim().toLowerCase()) {
      case "on", "true", "yes", "1" -> true;
      case "off", "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("--" + flag + " must be on or off (got '" + s + "')");
    };
  }

  /** Parses {@code 512m}, {@code 2g}, {@code 100k} or plain bytes. */
  static long bytes(Map<String, String> v, String flag, String def) {
    String s = v.getOrDefault(flag, def).trim().toLowerCase();
    try {
      long mult = s.endsWith("g") ? 1L << 30 : s.endsWith("m") ? 1L << 20 : s.endsWith("k") ? 1L << 10 : 1;
      String num = mult == 1 ? s : s.substring(0, s.length() - 1);
      long n = Long.parseLong(num);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n * mult;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + flag + " must be a size such as 512m or 2g (got '" + s + "')");
    }
  }

  private static int port(Map<String, String> v, String flag, int def) {
    String s = v.get(flag);
    if (s == null || s.isEmpty()) {
      return def;
    }
    try {
      int p = Integer.parseInt(s.trim());
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a port number 0..65535 (got '" + s + "')");
    }
  }

  private static int positiveInt(String flag, String s) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a positive integer (got '" + s + "')");
    }
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} (a bare number is seconds). */
  static long duration(Map<String, String> v, String flag, String def) {
    String s = v.getOrDefault(flag, def).trim().toLowerCase();
    try {
      if (s.endsWith("ms")) {
        return Long.parseLong(s.substring(0, s.length() - 2));
      }
      long mult = s.endsWith("h") ? 3_600_000 : s.endsWith("m") ? 60_000 : 1000;
      String num = Character.isDigit(s.charAt(s.length() - 1)) ? s : s.substring(0, s.length() - 1);
      long n = Long.parseLong(num);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n * mult;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--" + flag + " must be a duration such as 30s or 5m (got '" + s + "')");
    }
  }

  private static Path path(Map<String, String> v, String flag) {
    String s = v.get(flag);
    return s == null || s.isBlank() ? null : Path.of(s).toAbsolutePath();
  }

  private static List<String> list(String s) {
    if (s == null || s.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "frontdesk";
    }
  }

  /** The folder of the running jar (or the working directory when run from classes). */
  static Path jarDirectory() {
    try {
      Path p = Path.of(SettingsParser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.getParent() : Path.of("").toAbsolutePath();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("").toAbsolutePath();
    }
  }
}
