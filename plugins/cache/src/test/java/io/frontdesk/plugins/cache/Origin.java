package io.frontdesk.plugins.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A real origin on 127.0.0.1 for the cache's tests: each path answers what its test scripts (by
 * the number of the call), and every request it receives is kept for the test to look at.
 */
final class Origin implements AutoCloseable {

  /** A request the origin received. */
  record Seen(String method, String uri, MultiMap headers) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** What to answer: status, fields (name, value, …), body; optionally after a delay, or a dropped connection. */
  record Reply(int status, List<String> fields, Buffer body, long delayMillis, boolean disconnect,
      CompletableFuture<Void> gate) {
    static Reply of(int status, String body, String... fields) {
      return new Reply(status, List.of(fields), body == null ? null : Buffer.buffer(body), 0, false, null);
    }

    static Reply dropped() {
      return new Reply(0, List.of(), null, 0, true, null);
    }

    Reply after(long millis) {
      return new Reply(status, fields, body, millis, disconnect, gate);
    }

    /** Answers only once {@code g} completes (the test decides when the origin speaks). */
    Reply when(CompletableFuture<Void> g) {
      return new Reply(status, fields, body, delayMillis, disconnect, g);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, BiFunction<Integer, Seen, Reply>> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();

  Origin() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** Answers {@code path} with what {@code script} gives for the call number (1, 2, …) and the request. */
  void on(String path, BiFunction<Integer, Seen, Reply> script) {
    scripts.put(path, script);
  }

  /** Answers {@code path} always with {@code reply}. */
  void on(String path, Reply reply) {
    on(path, (n, r) -> reply);
  }

  List<Seen> seen(String path) {
    return new ArrayList<>(seen.getOrDefault(path, List.of()));
  }

  int calls(String path) {
    return seen.getOrDefault(path, List.of()).size();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Seen s = new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      List<Seen> list = seen.computeIfAbsent(req.path(), k -> new CopyOnWriteArrayList<>());
      list.add(s);
      BiFunction<Integer, Seen, Reply> script = scripts.get(req.path());
      Reply r = script == null ? Reply.of(404, "no script") : script.apply(list.size(), s);
      if (r.gate() != null) {
        r.gate().whenComplete((v, e) -> vertx.runOnContext(x -> answer(req, r)));
      } else if (r.delayMillis() > 0) {
        vertx.setTimer(r.delayMillis(), t -> answer(req, r));
      } else {
        answer(req, r);
      }
    });
  }

  private static void answer(HttpServerRequest req, Reply r) {
    if (r.disconnect()) {
      req.connection().close();
      return;
    }
    var resp = req.response().setStatusCode(r.status());
    for (int i = 0; i + 1 < r.fields().size(); i += 2) {
      resp.headers().add(r.fields().get(i), r.fields().get(i + 1));
    }
    if (r.body() == null || r.status() == 304 || r.status() == 204) {
      resp.end();
    } else {
      resp.end(r.body());
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
