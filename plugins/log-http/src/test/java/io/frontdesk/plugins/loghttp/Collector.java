package io.frontdesk.plugins.loghttp;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An HTTP log collector on 127.0.0.1 that keeps every POST and answers with scripted statuses. */
final class Collector implements AutoCloseable {

  record Post(MultiMap headers, String body, int answeredWith) {
  }

  final List<Post> posts = new CopyOnWriteArrayList<>();
  /** Statuses for the next POSTs, in order; 200 once they run out. */
  final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  volatile int fallback = 200;
  /** Answers wait for this; {@link #hold()} swaps in an incomplete one. */
  volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  Collector() throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> gate.thenRun(() -> {
      Integer scripted = script.poll();
      int status = scripted != null ? scripted : fallback;
      posts.add(new Post(req.headers(), body.toString(), status));
      req.response().setStatusCode(status).end();
    }))).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Keeps answers back until the returned future completes. */
  CompletableFuture<Void> hold() {
    gate = new CompletableFuture<>();
    return gate;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/ingest?source=fd";
  }

  /** @return the lines of the accepted (2xx) POSTs, in arrival order */
  List<String> acceptedLines() {
    List<String> lines = new ArrayList<>();
    for (Post p : posts) {
      if (p.answeredWith() / 100 == 2) {
        for (String l : p.body().split("\n")) {
          if (!l.isEmpty()) {
            lines.add(l);
          }
        }
      }
    }
    return lines;
  }

  void await(Predicate<Collector> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.test(this) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
