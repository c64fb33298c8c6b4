package io.frontdesk.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a scrape of {@code /metrics} through only with {@code Authorization: Bearer <metrics token>}
 * (Prometheus: {@code authorization: {credentials: …}}). The token opens nothing else.
 */
final class MetricsGuard implements Handler<RoutingContext> {

  private final byte[] token;

  MetricsGuard(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    boolean ok = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(h.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    if (ok) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"frontdesk-metrics\"")
        .putHeader("content-type", "text/plain").end("unauthorized: send the metrics token as Authorization: Bearer <token>\n");
  }
}
