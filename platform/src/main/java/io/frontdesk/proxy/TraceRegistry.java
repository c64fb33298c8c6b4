package io.frontdesk.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tokens that let a request ask the proxy to trace it. The admin server (signed-in
 * operators only) issues a token, sends its request through the proxy with the token in {@value
 * #HEADER}, and collects the trace. A request without a valid token is never traced, and the header
 * is never forwarded.
 */
public final class TraceRegistry {

  public static final String HEADER = "x-frontdesk-trace";
  private static final long TTL_MILLIS = 60_000;

  private final Vertx vertx;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

  public TraceRegistry(Vertx vertx) {
    this.vertx = vertx;
  }

  /** @return a fresh token; its trace is collected with {@link #result} */
  public String issue() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    String token = HexFormat.of().formatHex(b);
    pending.put(token, Promise.promise());
    vertx.setTimer(TTL_MILLIS, id -> {
      Promise<JsonObject> p = pending.remove(token);
      if (p != null) {
        p.tryFail("no traced request arrived within " + TTL_MILLIS / 1000 + " s");
      }
    });
    return token;
  }

  /** @return the trace of the request that carried {@code token}, once it has finished */
  public Future<JsonObject> result(String token) {
    Promise<JsonObject> p = pending.get(token);
    return p == null ? Future.failedFuture("unknown or expired trace token") : p.future();
  }

  /** Called for every request: a trace when it carries a valid token (which is then used up). */
  ExchangeTrace claim(HttpRequest request) {
    String token = request.headers().get(HEADER);
    if (token == null) {
      return null;
    }
    request.headers().remove(HEADER);
    Promise<JsonObject> p = pending.get(token);
    if (p == null || p.future().isComplete()) {
      return null;
    }
    return new ExchangeTrace(token, this);
  }

  void completed(String token, JsonObject trace) {
    Promise<JsonObject> p = pending.remove(token);
    if (p != null) {
      p.tryComplete(trace);
    }
  }
}
