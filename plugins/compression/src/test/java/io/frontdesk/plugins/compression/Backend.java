package io.frontdesk.plugins.compression;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real HTTP backend on 127.0.0.1 serving what the compression tests need. */
final class Backend implements AutoCloseable {

  static final int BIG_CHUNK = 64 * 1024;

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  /** Bytes of /big written to the proxy so far. */
  final AtomicLong bigWritten = new AtomicLong();
  /** Completed by a test to let /sse send its second event. */
  volatile CompletableFuture<Void> sseRelease = new CompletableFuture<>();

  Backend() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    HttpServerResponse r = req.response();
    int size = Integer.parseInt(param(req, "size", "102400"));
    String path = req.path();
    switch (path) {
      case "/page" -> {
        // Any content type and extra headers the test asks for: ?type=…&h=Name:Value&h=…
        r.putHeader("content-type", param(req, "type", "text/html; charset=utf-8"));
        for (String h : req.params().getAll("h")) {
          int colon = h.indexOf(':');
          r.headers().add(h.substring(0, colon), h.substring(colon + 1));
        }
        int status = Integer.parseInt(param(req, "status", "200"));
        r.setStatusCode(status);
        if (status == 204 || status == 304) {
          r.end();
        } else if (req.params().contains("chunked")) {
          r.setChunked(true);
          byte[] body = Text.bytes(size, 1);
          int half = body.length / 2;
          r.write(Buffer.buffer().appendBytes(body, 0, half));
          r.end(Buffer.buffer().appendBytes(body, half, body.length - half));
        } else {
          r.end(Buffer.buffer(Text.bytes(size, 1)));
        }
      }
      case "/sse" -> {
        r.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        r.write("data: one\n\n");
        CompletableFuture<Void> release = sseRelease;
        release.orTimeout(20, TimeUnit.SECONDS).whenComplete((v, e) ->
            vertx.runOnContext(x -> r.end("data: two\n\n")));
      }
      case "/big" -> {
        long total = Long.parseLong(param(req, "bytes", String.valueOf(100L * 1024 * 1024)));
        r.setChunked(true).putHeader("content-type", "text/plain");
        bigWritten.set(0);
        writeBig(r, total, 0);
      }
      default -> r.setStatusCode(404).end();
    }
  }

  /** Writes /big with back-pressure: only while the connection to the proxy takes it. */
  private void writeBig(HttpServerResponse r, long total, long chunkNo) {
    long n = chunkNo;
    while (bigWritten.get() < total) {
      if (r.writeQueueFull()) {
        long next = n;
        r.drainHandler(v -> writeBig(r, total, next));
        return;
      }
      int len = (int) Math.min(BIG_CHUNK, total - bigWritten.get());
      r.write(Buffer.buffer(bigChunk(n++, len)));
      bigWritten.addAndGet(len);
    }
    r.end();
  }

  /** Chunk {@code n} of /big: varied text, so it really compresses (and costs) like a page. */
  static byte[] bigChunk(long n, int len) {
    return Text.bytes(len, n % 64);
  }

  private static String param(HttpServerRequest req, String name, String def) {
    String v = req.getParam(name);
    return v == null ? def : v;
  }

  @Override
  public void close() {
    Promise<Void> p = Promise.promise();
    vertx.close().onComplete(p);
  }
}
