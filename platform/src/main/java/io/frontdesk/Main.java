package io.frontdesk;

import java.io.IOException;
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
}
