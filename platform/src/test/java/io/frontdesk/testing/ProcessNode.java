package io.frontdesk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frontdesk as its own process ({@code java ... io.frontdesk.Main}), for what only a real process
 * shows: a small heap, signals, the console, restarts after kill -9.
 */
public final class ProcessNode implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final int adminPort;

  private ProcessNode(Process process, Path log, int httpPort, int adminPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
  }

  /**
   * @param jvmArgs e.g. {@code -Xmx64m}
   * @param args Frontdesk flags (ports are added)
   */
  public static ProcessNode start(List<String> jvmArgs, List<String> args) {
    List<String> launch = new ArrayList<>(jvmArgs);
    launch.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.frontdesk.Main"));
    return launch(launch, java.util.Map.of(), args);
  }

  /**
   * {@code java -jar JAR} as a user types it, with {@code env} added to the environment.
   */
  public static ProcessNode startJar(Path jar, java.util.Map<String, String> env, List<String> args) {
    return launch(List.of("-jar", jar.toString()), env, args);
  }

  private static ProcessNode launch(List<String> launch, java.util.Map<String, String> env, List<String> args) {
    int http = freePort();
    int admin = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launch);
    cmd.addAll(List.of("--bind", "127.0.0.1", "--http-port", Integer.toString(http), "--admin-port",
        Integer.toString(admin), "--admin-token", Http.ADMIN_TOKEN));
    cmd.addAll(args);
    try {
      Path log = Files.createTempFile(TestPaths.work(), "node", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      ProcessNode node = new ProcessNode(p, log, http, admin);
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Frontdesk exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        if (Http.get(adminBase() + "/readyz").status() == 200 && output().contains("is running")) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("Frontdesk did not become ready:\n" + output());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String proxy() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int proxyPort() {
    return httpPort;
  }

  public String adminBase() {
    return "http://127.0.0.1:" + adminPort;
  }

  public Http.Admin admin() {
    return new Http.Admin(adminBase() + "/api/v1");
  }

  public Process process() {
    return process;
  }

  /** @return everything the process printed so far */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** Sends SIGTERM (as Ctrl-C or a container stop would) and waits for the exit code. */
  public int terminate(long timeoutSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Frontdesk did not stop within " + timeoutSeconds + " s:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
