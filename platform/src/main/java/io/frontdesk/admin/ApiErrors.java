package io.frontdesk.admin;

import io.frontdesk.validation.ConflictException;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns failures into the admin API's JSON error answers, in one place. */
final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {
  }

  /** A request the API refuses with a status and message (401, 403, 413, 415, …). */
  static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  static void send(RoutingContext ctx, Throwable t) {
    if (ctx.response().ended()) {
      return;
    }
    if (t instanceof ConflictException c) {
      reply(ctx, 409, "conflict", c.getMessage(), c.errors());
    } else if (t instanceof InvalidConfigException v) {
      reply(ctx, 400, "invalid", "the request has invalid fields", v.errors());
    } else if (t instanceof NotFoundException n) {
      reply(ctx, 404, "not_found", n.getMessage(), null);
    } else if (t instanceof ApiException a) {
      reply(ctx, a.status, a.status == 401 ? "unauthorized" : a.status == 403 ? "forbidden" : "error", a.getMessage(), null);
    } else if (isDatabaseDown(t)) {
      reply(ctx, 503, "database_unavailable", "the database is unreachable, so changes cannot be saved now; "
          + "the proxy keeps serving its last configuration", null);
    } else {
      log.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), t);
      reply(ctx, 500, "internal", "the request failed: " + t.getMessage(), null);
    }
  }

  static boolean isDatabaseDown(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return true;
      }
      if (c instanceof PgException) {
        return false;
      }
      String cls = c.getClass().getName();
      String msg = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (cls.contains("ClosedConnection") || msg.contains("connection refused") || msg.contains("pool closed")
          || msg.contains("connection is closed") || msg.contains("timeout") && msg.contains("connect")) {
        return true;
      }
    }
    return false;
  }

  static void reply(RoutingContext ctx, int status, String code, String message, java.util.List<FieldError> errors) {
    JsonObject body = new JsonObject().put("error", code).put("message", message);
    if (errors != null && !errors.isEmpty()) {
      JsonArray a = new JsonArray();
      errors.forEach(e -> a.add(e.toJson()));
      body.put("errors", a);
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
