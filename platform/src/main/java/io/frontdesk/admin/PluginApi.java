package io.frontdesk.admin;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.pluginhost.PluginHost;
import io.frontdesk.pluginhost.PluginInfo;
import io.frontdesk.pluginhost.PluginRegistry;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Installed plugins: list and inspect them (state, version, schema, counters, failure reason),
 * switch them on and off for every node, and upload a jar into this node's plugins folder.
 */
final class PluginApi {

  static final long MAX_UPLOAD_BYTES = 50L * 1024 * 1024;

  private final Vertx vertx;
  private final PluginHost host;
  private final PluginRegistry registry;
  private final ConfigStore store;
  private final ConfigReloader reloader;
  private final Path uploads;
  private final Function<RoutingContext, String> actor;

  PluginApi(Vertx vertx, PluginHost host, PluginRegistry registry, ConfigStore store, ConfigReloader reloader,
      Path uploads, Function<RoutingContext, String> actor) {
    this.vertx = vertx;
    this.host = host;
    this.registry = registry;
    this.store = store;
    this.reloader = reloader;
    this.uploads = uploads;
    this.actor = actor;
  }

  /** The upload route: mounted before the API's 1 MiB body limit applies. */
  void mountUpload(Router root) {
    root.post("/api/v1/plugins").handler(BodyHandler.create(uploads.toString()).setBodyLimit(MAX_UPLOAD_BYTES)
        .setHandleFileUploads(true).setDeleteUploadedFilesOnEnd(true));
  }

  void mount(Router api) {
    QueryParams.only(api.get("/plugins")).handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("items", list()).encode()));
    QueryParams.only(api.get("/plugins/:id")).handler(ctx -> {
      JsonObject p = find(ctx.pathParam("id"));
      ctx.response().putHeader("content-type", "application/json").end(p.encode());
    });
    api.post("/plugins/:id/enable").handler(ctx -> setEnabled(ctx, true));
    api.post("/plugins/:id/disable").handler(ctx -> setEnabled(ctx, false));
    api.post("/plugins").handler(this::upload);
  }

  JsonArray list() {
    ConfigDocument doc = reloader.document();
    JsonArray items = new JsonArray();
    for (PluginInfo i : host.list()) {
      boolean disabled = doc != null && i.id() != null && doc.pluginDisabled(i.id());
      items.add(i.toJson(i.id() == null ? null : registry.stats(i.id()), disabled));
    }
    return items;
  }

  private JsonObject find(String id) {
    for (Object o : list()) {
      JsonObject p = (JsonObject) o;
      if (id.equals(p.getString("id")) || id.equals(p.getString("jar"))) {
        return p;
      }
    }
    throw new NotFoundException("plugin '" + id + "' is not installed");
  }

  private void setEnabled(RoutingContext ctx, boolean enabled) {
    String id = ctx.pathParam("id");
    find(id);
    store.setPluginEnabled(id, enabled, actor.apply(ctx))
        .compose(c -> reloader.awaitVersion(c.version(), 3000).map(v -> c))
        .onSuccess(c -> ctx.response().putHeader("content-type", "application/json")
            .putHeader("x-config-version", Long.toString(c.version())).end(find(id).encode()))
        .onFailure(t -> ApiErrors.send(ctx, t));
  }

  /** Accepts a jar as the raw body or as a multipart field (any name). */
  private void upload(RoutingContext ctx) {
    List<FileUpload> files = ctx.fileUploads();
    Future<Path> jar;
    if (!files.isEmpty()) {
      jar = Future.succeededFuture(Path.of(files.get(0).uploadedFileName()));
    } else if (ctx.body() != null && ctx.body().length() > 0) {
      jar = vertx.executeBlocking(() -> {
        Path tmp = Files.createTempFile(uploads, "upload-", ".jar");
        Files.write(tmp, ctx.body().buffer().getBytes());
        return tmp;
      });
    } else {
      ApiErrors.reply(ctx, 400, "invalid", "send a plugin jar as the request body or as a multipart file", null);
      return;
    }
    jar.compose(path -> vertx.executeBlocking(() -> {
      try {
        return host.install(path);
      } finally {
        if (files.isEmpty()) {
          Files.deleteIfExists(path);
        }
      }
    })).onSuccess(info -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
        .putHeader("location", "/api/v1/plugins/" + info.id())
        .end(info.toJson(registry.stats(info.id()), false).encode()))
        .onFailure(t -> {
          if (t instanceof IllegalArgumentException) {
            ApiErrors.reply(ctx, 400, "invalid_plugin", "the jar cannot be used as a plugin: " + t.getMessage(), null);
          } else {
            ApiErrors.send(ctx, t);
          }
        });
  }
}
