package io.frontdesk.testing;

import io.frontdesk.Frontdesk;
import io.frontdesk.Settings;
import io.frontdesk.SettingsParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real Frontdesk node for a test: random ports on 127.0.0.1, a test database, temp folders. */
public final class TestNode implements AutoCloseable {

  private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();
  private final Frontdesk node;
  private final String dbUrl;

  private TestNode(Frontdesk node, String dbUrl) {
    this.node = node;
    this.dbUrl = dbUrl;
  }

  /** Starts a node on a fresh database. */
  public static TestNode start(String... extraArgs) {
    return onDatabase(TestDatabase.newDatabase(), extraArgs);
  }

  /** Starts a node on {@code dbUrl} (several nodes may share it). */
  public static TestNode onDatabase(String dbUrl, String... extraArgs) {
    return onDatabase(dbUrl, TestPaths.newDir("node"), extraArgs);
  }

  /** Starts a node on {@code dbUrl} with the data directory {@code data} (to start again on it). */
  public static TestNode onDatabase(String dbUrl, Path data, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--http-port", "0", "--admin-port", "0",
        "--db-url", dbUrl, "--data-dir", data.toString(), "--plugins-dir", data.resolve("plugins").toString(),
        "--event-loops", "2", "--drain-timeout", "5s", "--node-id", "node-" + IDS.incrementAndGet(),
        "--admin-token", Http.ADMIN_TOKEN));
    args.addAll(List.of(extraArgs));
    Settings s = SettingsParser.parse(args.toArray(String[]::new), Map.of());
    return new TestNode(Frontdesk.start(s), dbUrl);
  }

  public Frontdesk node() {
    return node;
  }

  public String dbUrl() {
    return dbUrl;
  }

  /** @return {@code http://127.0.0.1:<port>} of the proxy */
  public String proxy() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  public int proxyPort() {
    return node.httpPort();
  }

  public Http.Admin admin() {
    return new Http.Admin("http://127.0.0.1:" + node.adminPort() + "/api/v1");
  }

  public String adminBase() {
    return "http://127.0.0.1:" + node.adminPort();
  }

  @Override
  public void close() {
    node.close();
  }
}
