package io.frontdesk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in throttling against a real node, from several loopback addresses (127.0.0.x), so
 * "another place" is a real other client address.
 */
class AdminLoginThrottlingTest {

  static final String PASSWORD = "correct horse battery";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start("--admin-password", PASSWORD);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** POSTs a sign-in from {@code from}; @return the status code. */
  static int login(String from, String name, String password) {
    byte[] body = new JsonObject().put("name", name).put("password", password).encode().getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", node.node().adminPort()), 5000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return Integer.parseInt(line.toString().split(" ")[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void parallelWrongPasswordsAreThrottledAndTheOwnerStillSignsInFromElsewhere() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(40);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(pool.submit(() -> login("127.0.0.1", "admin", "not the password")));
      }
      int throttled = 0;
      int refused = 0;
      for (Future<Integer> f : answers) {
        int status = f.get(120, TimeUnit.SECONDS);
        assertThat(status).isIn(401, 429);
        if (status == 429) {
          throttled++;
        } else {
          refused++;
        }
      }
      assertThat(throttled).as("attempts in flight are counted").isPositive();
      assertThat(refused).as("only the free attempts reach the password check").isLessThanOrEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
    assertThat(login("127.0.0.2", "admin", PASSWORD)).as("the owner, elsewhere").isEqualTo(200);
  }

  @Test
  void invalidOrHugeNamesAre400AndDoNotCount() {
    String huge = "a".repeat(100_000);
    for (int i = 0; i < 30; i++) {
      assertThat(login("127.0.0.3", i % 2 == 0 ? huge : "bad name " + i, "whatever")).isEqualTo(400);
    }
    assertThat(login("127.0.0.3", "admin", "x".repeat(2000))).as("a huge password").isEqualTo(400);
    // Thirty refused names counted against this address would have locked it (20 free).
    assertThat(login("127.0.0.3", "admin", PASSWORD)).isEqualTo(200);
  }

  @Test
  void passwordHashingRunsOnItsOwnSmallPool() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      AdminAuth auth = new AdminAuth(vertx, null, "", java.time.Duration.ofMinutes(1), java.time.Duration.ofHours(1));
      String thread = auth.onHashPool(() -> Thread.currentThread().getName())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(thread).startsWith(AdminAuth.HASH_POOL);
      auth.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
