package io.frontdesk.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two tiny backends for the demo site, on 127.0.0.1 and ports of their own: each answers every
 * path with a small page (or JSON) naming itself, after a few milliseconds of pretend work, so the
 * demo shows balancing, latency and the tracer with nothing else installed. {@code /health} answers
 * for active checks.
 */
public final class DemoBackends {

  private final Vertx vertx;
  private final List<HttpServer> servers = new ArrayList<>();

  public DemoBackends(Vertx vertx) {
    this.vertx = vertx;
  }

  /** @return the ports, once both listen (started once; later calls answer the same ports) */
  public synchronized Future<List<Integer>> start() {
    if (!servers.isEmpty()) {
      return Future.succeededFuture(ports());
    }
    return Future.all(server("A"), server("B")).map(cf -> {
      synchronized (this) {
        servers.add(cf.resultAt(0));
        servers.add(cf.resultAt(1));
        return ports();
      }
    });
  }

  private Future<HttpServer> server(String name) {
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/health")) {
        req.response().putHeader("content-type", "text/plain").end("ok\n");
        return;
      }
      long delay = 2 + ThreadLocalRandom.current().nextInt(name.equals("A") ? 10 : 25);
      vertx.setTimer(delay, t -> {
        boolean json = String.valueOf(req.getHeader("accept")).contains("json");
        req.response().putHeader("content-type", json ? "application/json" : "text/html; charset=utf-8")
            .putHeader("x-demo-backend", name)
            .end(json ? new JsonObject().put("backend", name).put("path", req.path()).put("method", req.method().name())
                .encode()
                : "<!doctype html><title>Frontdesk demo</title><h1>Hello from demo backend " + name + "</h1>"
                    + "<p>Frontdesk sent " + req.method().name() + " " + escape(req.path()) + " here. Reload: the "
                    + "two backends take turns on each connection (Frontdesk keeps the turn per event loop, "
                    + "so a new connection may start with either one).</p>\n");
      });
    }).listen(0, "127.0.0.1");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  public synchronized List<Integer> ports() {
    return servers.stream().map(HttpServer::actualPort).toList();
  }

  public synchronized boolean running() {
    return !servers.isEmpty();
  }

  public synchronized Future<Void> stop() {
    List<HttpServer> s = new ArrayList<>(servers);
    servers.clear();
    return Future.all(s.stream().map(HttpServer::close).toList()).mapEmpty();
  }
}
