package io.frontdesk;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar frontdesk.jar}: parse settings, start a node (in a second JVM with
 * {@link JvmDefaults} when the user chose no heap or collector), stop it gracefully on
 * SIGTERM/Ctrl-C.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    // Netty 4.2's default (adaptive) allocator spent ~8 % of a loaded node's CPU taking buffers from
    // its shared queues; the pooled one served 1.02-1.09x its requests in A/B runs. A user's choice wins.
    if (System.getProperty("io.netty.allocator.type") == null) {
      System.setProperty("io.netty.allocator.type", "pooled");
    }
    Settings settings;
    try {
      settings = SettingsParser.parse(args, System.getenv());
    } catch (SettingsParser.HelpRequested h) {
      System.out.print(h.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("frontdesk: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<String> relaunch = JvmDefaults.command(ProcessHandle.current().info().command().orElse(null), ownJar(),
        ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv(), physicalMemory(),
        Main.class.getName(), args);
    if (relaunch != null) {
      Integer code = runChild(relaunch);
      if (code != null) {
        System.exit(code);
        return;
      }
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Frontdesk node;
    try {
      node = Frontdesk.start(settings);
    } catch (RuntimeException e) {
      log.debug("start failed", e);
      System.err.println("frontdesk: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: finishing requests in flight (up to {} ms)", settings.drainTimeoutMillis());
      node.close();
      log.info("stopped");
    }, "frontdesk-shutdown"));
    Banner.print(System.out, node);
  }

  /**
   * Runs the node in a child JVM and waits for it; a SIGTERM or Ctrl-C here is passed on and the
   * child's graceful stop awaited.
   *
   * @return the child's exit code, or {@code null} when it could not be started (this JVM serves)
   */
  private static Integer runChild(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put(JvmDefaults.APPLIED, "1");
    // already among this JVM's arguments, which the child gets: read twice, an agent would load twice
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    // glibc's default of 8 malloc arenas per core kept ~50 MiB of freed native memory resident
    pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    Process child;
    try {
      child = pb.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("frontdesk: could not start a JVM with the default settings (" + e.getMessage()
          + "); running in this one");
      return null;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      child.destroy(); // SIGTERM: the node drains its requests, then stops
      try {
        child.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "frontdesk-launcher"));
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static String ownJar() {
    try {
      return java.nio.file.Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (Exception e) {
      return null;
    }
  }

  private static long physicalMemory() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getTotalMemorySize();
  }

  /** What the console shows once the node is up. */
  static final class Banner {
    private Banner() {
    }

    static void print(PrintStream out, Frontdesk node) {
      Settings s = node.settings();
      String adminHost = s.adminBind().equals("0.0.0.0") || s.adminBind().equals("::") ? "localhost" : s.adminBind();
      String admin = "http://" + adminHost + ":" + node.adminPort();
      out.println();
      out.println("Frontdesk " + Frontdesk.version() + " is running (node " + s.nodeId() + ")");
      out.printf("  proxy      http://%s:%d   HTTP/1.1 and h2c, %s transport%n", s.bind(), node.httpPort(),
          node.transport());
      if (node.httpsPort() >= 0) {
        out.printf("             https://%s:%d  HTTP/1.1 and h2 (TLS)%n", s.bind(), node.httpsPort());
      }
      out.printf("  admin      %s   dashboard; API at %s/api/v1 (OpenAPI: /api/v1/openapi.json)%n", admin, admin);
      out.printf("  database   %s%n", s.embeddedDatabase()
          ? "embedded PostgreSQL 17, data in " + s.dataDir().resolve("postgres") : node.database().describe());
      out.printf("  plugins    %s%n", s.pluginsDir());
      if (node.initialPasswordFile() != null) {
        out.println();
        out.println("Sign in to " + admin + " as 'admin' with the password in " + node.initialPasswordFile());
        out.println("(readable by this user only; delete it once you have signed in and changed the password,");
        out.println("or set FRONTDESK_ADMIN_PASSWORD on a first start to choose it).");
      }
      if (node.snapshots().current().routes().isEmpty()) {
        String auth = s.adminToken().isEmpty() ? "$TOKEN" : "$FRONTDESK_ADMIN_TOKEN";
        out.println();
        out.println("No routes yet. Send your first site through Frontdesk (say your app listens on 127.0.0.1:3000):");
        if (s.adminToken().isEmpty()) {
          out.println("  (TOKEN: an API token made in the dashboard, or start with FRONTDESK_ADMIN_TOKEN=<secret>)");
        }
        String curl = "  curl -X POST " + admin + "/api/v1/%s -H \"Authorization: Bearer " + auth
            + "\" -H 'content-type: application/json' \\%n";
        out.printf(curl, "upstreams");
        out.println("       -d '{\"name\":\"app\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":3000}]}'");
        out.printf(curl, "sites");
        out.println("       -d '{\"name\":\"app\",\"hosts\":[\"*\"]}'");
        out.printf(curl, "routes");
        out.println("       -d '{\"name\":\"app\",\"site\":\"app\",\"upstream\":\"app\"}'");
        out.println("  curl http://localhost:" + node.httpPort() + "/");
        out.println("Or open " + admin + " in a browser.");
      }
      out.println();
      out.flush();
    }
  }
}
