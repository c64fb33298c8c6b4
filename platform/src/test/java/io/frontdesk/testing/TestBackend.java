package io.frontdesk.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP backend on 127.0.0.1 with a random port, for proxy tests. Paths:
 * <ul>
 *   <li>{@code /bytes/N} streams N bytes ({@code ?chunked=1} without Content-Length);
 *   <li>{@code /sink} reads the body without keeping it and answers its length;
 *   <li>{@code /slow/MS} answers after MS milliseconds;
 *   <li>{@code /status/N} answers status N;
 *   <li>WebSocket upgrades on any path echo every message;
 *   <li>anything else echoes the request as JSON (method, uri, headers, body length).
 * </ul>
 * Every response carries {@code x-backend: <name>}.
 */
public final class TestBackend implements AutoCloseable {

  private static Vertx vertx;

  private final String name;
  private final HttpServer server;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();

  private TestBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  public static synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }
    return vertx;
  }

  public static TestBackend start(String name) {
    return start(name, 0, null);
  }

  /**
   * @param port 0 for a free port
   * @param custom handles requests first when not null (return without ending to fall through is
   *     not supported: it must answer)
   */
  public static TestBackend start(String name, int port, Handler<HttpServerRequest> custom) {
    HttpServer server = vertx().createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
        .setMaxWebSocketFrameSize(1 << 20));
    TestBackend b = new TestBackend(name, server);
    server.connectionHandler(c -> b.connections.incrementAndGet());
    server.webSocketHandler(ws -> {
      ws.textMessageHandler(ws::writeTextMessage);
      ws.binaryMessageHandler(ws::writeBinaryMessage);
    });
    server.requestHandler(req -> {
      b.requests.incrementAndGet();
      req.response().putHeader("x-backend", name);
      if (custom != null) {
        custom.handle(req);
      } else {
        b.handle(req);
      }
    });
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("backend " + name + " did not start", e);
    }
    return b;
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    HttpServerResponse res = req.response();
    if (path.startsWith("/bytes/")) {
      long n = Long.parseLong(path.substring(7));
      boolean chunked = "1".equals(req.getParam("chunked"));
      if (chunked) {
        res.setChunked(true);
      } else {
        res.putHeader("content-length", Long.toString(n));
      }
      res.putHeader("content-type", "application/octet-stream");
      Buffer block = Buffer.buffer(new byte[64 * 1024]);
      writeBytes(res, n, block);
    } else if (path.equals("/sink")) {
      AtomicLong count = new AtomicLong();
      req.handler(buf -> count.addAndGet(buf.length()));
      req.endHandler(v -> res.putHeader("content-type", "application/json")
          .end(new JsonObject().put("bytes", count.get()).encode()));
    } else if (path.startsWith("/slow/")) {
      long ms = Long.parseLong(path.substring(6));
      req.body().onComplete(ar -> vertx().setTimer(ms, id -> {
        if (!res.closed()) {
          res.end("slow " + ms);
        }
      }));
    } else if (path.startsWith("/status/")) {
      res.setStatusCode(Integer.parseInt(path.substring(8))).end("status " + path.substring(8));
    } else {
      req.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        req.headers().forEach(e -> {
          String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
          headers.put(k, headers.containsKey(k) ? headers.getString(k) + "," + e.getValue() : e.getValue());
        });
        res.putHeader("content-type", "application/json").end(new JsonObject()
            .put("backend", name).put("method", req.method().name()).put("uri", req.uri())
            .put("version", req.version().name()).put("headers", headers).put("bodyBytes", body.length())
            .put("body", body.length() < 4096 ? body.toString() : null).encode());
      });
    }
  }

  private static void writeBytes(HttpServerResponse res, long remaining, Buffer block) {
    while (remaining > 0 && !res.writeQueueFull()) {
      int n = (int) Math.min(block.length(), remaining);
      res.write(n == block.length() ? block : block.slice(0, n));
      remaining -= n;
    }
    if (remaining == 0) {
      res.end();
      return;
    }
    long left = remaining;
    res.drainHandler(v -> writeBytes(res, left, block));
  }

  public int port() {
    return server.actualPort();
  }

  public String name() {
    return name;
  }

  /** @return connections accepted so far */
  public int connections() {
    return connections.get();
  }

  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
