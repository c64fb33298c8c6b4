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
    node = TestNode.start("--admin-password", PASSWORD, "--trusted-proxies", "127.0.0.4/32");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** POSTs a sign-in from {@code from}; @return the status code. */
  static int login(String from, String name, String password) {
    return login(from, name, password, "");
  }

  /** @param extraHeaders more header lines, each ending in CRLF */
  static int login(String from, String name, String password, String extraHeaders) {
    byte[] body = new JsonObject().put("name", name).put("password", password).encode().getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", node.node().adminPort()), 5000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + extraHeaders + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
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

  /**
   * @param name the account tried by attempt i
   * @return how many of {@code n} parallel wrong sign-ins from {@code from} reached the password check (401)
   */
  static int parallelWrongLogins(int n, String from, java.util.function.IntFunction<String> name,
      java.util.function.IntFunction<String> headers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String h = headers.apply(i);
        String who = name.apply(i);
        answers.add(pool.submit(() -> login(from, who, "not the password", h)));
      }
      int checked = 0;
      for (Future<Integer> f : answers) {
        int status = f.get(120, TimeUnit.SECONDS);
        assertThat(status).isIn(401, 429);
        checked += status == 401 ? 1 : 0;
      }
      return checked;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void behindATrustedProxyEachClientItNamesIsThrottledOnItsOwn() throws Exception {
    // 30 clients behind one proxy, each one wrong password: none is held back by the others' (the
    // proxy's address alone would pass the 20-per-address ceiling).
    assertThat(parallelWrongLogins(30, "127.0.0.4", i -> "user-" + i, i -> "X-Forwarded-For: 203.0.113." + i + "\r\n"))
        .isEqualTo(30);
    // One client guessing through the proxy is held back; the owner through the same proxy is not.
    assertThat(parallelWrongLogins(12, "127.0.0.4", i -> "admin", i -> "X-Forwarded-For: 203.0.113.200\r\n"))
        .isLessThanOrEqualTo(5);
    assertThat(login("127.0.0.4", "admin", PASSWORD, "X-Forwarded-For: 198.51.100.9\r\n")).isEqualTo(200);
  }

  @Test
  void anUntrustedPeerCannotChooseItsAddressWithXForwardedFor() throws Exception {
    assertThat(parallelWrongLogins(12, "127.0.0.5", i -> "admin", i -> "X-Forwarded-For: 192.0.2." + i + "\r\n"))
        .as("all counted against the peer").isLessThanOrEqualTo(5);
  }
}
