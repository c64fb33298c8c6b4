package io.frontdesk.admin;

import io.frontdesk.api.admin.AdminHandler;
import io.frontdesk.api.admin.AdminRequest;
import io.frontdesk.api.admin.AdminResponse;
import io.frontdesk.pluginhost.PluginRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's own admin endpoints: every request under {@code /api/v1/plugins/<id>/} that the
 * platform's plugin endpoints did not take goes to the plugin's {@link AdminHandler} (one of its
 * extension objects), with the path below the plugin, the query, the JSON body and the caller.
 */
final class PluginAdminRoutes {

  private static final Logger log = LoggerFactory.getLogger(PluginAdminRoutes.class);

  private final PluginRegistry registry;
  private final Function<RoutingContext, String> actor;

  PluginAdminRoutes(PluginRegistry registry, Function<RoutingContext, String> actor) {
    this.registry = registry;
    this.actor = actor;
  }

  /** Mounted after the platform's own plugin endpoints. */
  void mount(Router api) {
    api.route("/plugins/:id/*").handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AdminHandler handler = handlerOf(id);
    if (handler == null) {
      ctx.next(); // the API's 404
      return;
    }
    JsonObject body;
    try {
      body = ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      ApiErrors.reply(ctx, 400, "invalid", "the body is not a JSON object", null);
      return;
    }
    String prefix = "/api/v1/plugins/" + id + "/";
    String path = ctx.request().path();
    Map<String, List<String>> query = new HashMap<>();
    ctx.queryParams().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    AdminRequest req = new AdminRequest(ctx.request().method().name(),
        path.startsWith(prefix) ? path.substring(prefix.length()) : "", Map.copyOf(query), body, actor.apply(ctx));
    Future<AdminResponse> answer;
    try {
      answer = handler.handle(req);
    } catch (RuntimeException | LinkageError e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        log.warn("plugin '{}' failed on {} {}", id, req.method(), path, ar.cause());
        ApiErrors.reply(ctx, 500, "plugin_failed", "plugin '" + id + "' could not answer", null);
        return;
      }
      AdminResponse r = ar.result();
      ctx.response().setStatusCode(r.status());
      if (r.body() == null) {
        ctx.response().end();
      } else {
        ctx.response().putHeader("content-type", "application/json").end(r.body().encode());
      }
    });
  }

  private AdminHandler handlerOf(String id) {
    PluginRegistry.Extensions e = registry.extensions(id);
    if (e == null) {
      return null;
    }
    if (e.filter() instanceof AdminHandler h) {
      return h;
    }
    return e.logSink() instanceof AdminHandler h ? h : null;
  }
}
