package io.frontdesk.plugins.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis (Debian's {@code redis-server}) for a test, on a free loopback port, without
 * persistence. It can be stopped and started again on the same port, empty, as after a crash.
 */
final class RedisServer implements AutoCloseable {

  static final String BINARY = "/usr/bin/redis-server";

  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  static boolean installed() {
    return Files.isExecutable(Path.of(BINARY));
  }

  static RedisServer start() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      RedisServer r = new RedisServer(s.getLocalPort(), Files.createTempDirectory("rate-limit-redis"));
      s.close();
      r.startAgain();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again) on its port. */
  void startAgain() {
    try {
      process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        try {
          if (command("PING").equals("+PONG")) {
            return;
          }
        } catch (IOException notYet) {
          Thread.sleep(20);
        }
      }
      throw new IllegalStateException("redis-server did not start on port " + port + "; see " + dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server (its data is gone: it keeps none). */
  void stop() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open and nothing answers. */
  void freeze(boolean frozen) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill failed");
    }
  }

  /** Sends one inline command and answers the first line of the reply. */
  String command(String line) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\r') {
        sb.append((char) c);
      }
      return sb.toString();
    }
  }

  /** @return the keys matching {@code pattern} (a RESP array of bulk strings) */
  java.util.List<String> keys(String pattern) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.setSoTimeout(2000);
      s.getOutputStream().write(("KEYS " + pattern + "\r\n").getBytes(StandardCharsets.UTF_8));
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      int n = Integer.parseInt(in.readLine().substring(1));
      java.util.List<String> keys = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        in.readLine(); // $length
        keys.add(in.readLine());
      }
      return keys;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
