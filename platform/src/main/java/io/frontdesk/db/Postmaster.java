package io.frontdesk.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bundled PostgreSQL programs on one data directory: initdb, single-user statements, and
 * the server itself as a child process (its pid is the postmaster's, so its exit is seen at once).
 * As root, PostgreSQL (which refuses to run as root) runs in a user namespace ({@code unshare -U}).
 */
final class Postmaster {

  private static final Logger log = LoggerFactory.getLogger("io.frontdesk.db.postgres");

  private final Path binaries;
  private final Path pgData;
  private final Map<String, String> serverConfig;
  private final List<String> prefix;
  /** Measured with bench/access-log.sh: p99 with the access log on fell from 1.7x to ~1.2x the log-off p99. */
  static final int SERVER_NICENESS = 5;

  Postmaster(Path binaries, Path pgData, Map<String, String> serverConfig) {
    this.binaries = binaries;
    this.pgData = pgData;
    this.serverConfig = serverConfig;
    this.prefix = runningAsRoot() ? List.of("unshare", "-U") : List.of();
  }

  private static boolean runningAsRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  Path pgData() {
    return pgData;
  }

  /** Creates the cluster with password (scram) authentication from the first line of {@code passwordFile}. */
  void initdb(Path passwordFile) {
    run(List.of(bin("initdb"), "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-U", "postgres",
        "-D", pgData.toString(), "-E", "UTF-8"), null, Duration.ofMinutes(5));
  }

  /** Runs SQL in single-user mode (no server running, no connection needed). */
  void singleUser(String sql) {
    run(List.of(bin("postgres"), "--single", "-D", pgData.toString(), "postgres"), sql + "\n",
        Duration.ofMinutes(5));
  }

  /** Starts the server and waits until postmaster.pid says it accepts connections. */
  Process start(Duration wait) throws IOException {
    // Below the proxy's CPU priority: the access log is written behind the traffic, so under full
    // load the event loops come first and the log catches up between bursts (nice, like unshare,
    // execs the server, so the pid stays the postmaster's).
    List<String> cmd = new ArrayList<>(List.of("nice", "-n", Integer.toString(SERVER_NICENESS)));
    cmd.addAll(prefix);
    cmd.add(bin("postgres"));
    cmd.add("-D");
    cmd.add(pgData.toString());
    serverConfig.forEach((k, v) -> {
      cmd.add("-c");
      cmd.add(k + "=" + v);
    });
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Deque<String> tail = pump(p, "postgres");
    Path pidFile = pgData.resolve("postmaster.pid");
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IOException("PostgreSQL exited with code " + waitQuietly(p) + ": " + lastLines(tail));
      }
      if (ready(pidFile, p.pid())) {
        return p;
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("PostgreSQL was not ready after " + wait.toSeconds() + " s: " + lastLines(tail));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        stop(p); // with the interrupt cleared, so the stop can wait for it
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while PostgreSQL was starting", e);
      }
    }
  }

  /** Fast shutdown (sessions ended, everything committed kept), bounded; then it is killed. */
  void stop(Process p) {
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      run(List.of(bin("pg_ctl"), "-D", pgData.toString(), "stop", "-m", "fast", "-w", "-t", "30"), null,
          Duration.ofSeconds(40));
    } catch (RuntimeException e) {
      log.warn("pg_ctl stop failed ({}); terminating PostgreSQL", e.getMessage());
    }
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** postmaster.pid: line 1 the pid, line 8 the state ({@code ready} once it accepts connections). */
  private static boolean ready(Path pidFile, long pid) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.size() >= 8 && lines.get(0).trim().equals(Long.toString(pid))
          && lines.get(7).trim().equals("ready");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void run(List<String> args, String stdin, Duration timeout) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(args);
    String name = Path.of(args.get(0)).getFileName().toString();
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      Deque<String> tail = pump(p, name);
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(name + " did not finish in " + timeout.toSeconds() + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(name + " failed with code " + p.exitValue() + ": " + lastLines(tail));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + name, e);
    }
  }

  /** Copies the program's output to the log, keeping the last lines for error messages. */
  private static Deque<String> pump(Process p, String name) {
    Deque<String> tail = new ArrayDeque<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          log.info("{}: {}", name, line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 10) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, name + "-output");
    t.setDaemon(true);
    t.start();
    return tail;
  }

  private static String lastLines(Deque<String> tail) {
    sleep(100); // let the pump read what the process wrote just before it ended
    synchronized (tail) {
      return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
    }
  }

  private static int waitQuietly(Process p) {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String bin(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }
}
