package io.frontdesk.admin;

import io.frontdesk.input.ConfigInputs;
import io.frontdesk.pluginhost.PluginCatalog;
import io.frontdesk.routing.ConfigReloader;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.store.ConfigStore.Change;
import io.frontdesk.store.ConfigStore.Page;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The configuration resources of the admin API: sites, upstreams and routes (create, read,
 * replace, patch, delete, list with paging), plugin bindings, and the change history with rollback.
 * A write answers once this node serves the new version, so a client can use it right away.
 */
final class ConfigApi {

  /** Fields the server sets; accepted in input (clients echo them back) but never taken from it. */
  private static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt", "siteId", "upstreamId",
      "targetId", "plugin", "kind", "stall");
  private static final long APPLY_WAIT_MILLIS = 3_000;
  private static final Set<String> PAGING = Set.of("limit", "offset");

  private final ConfigStore store;
  private final ConfigReloader reloader;
  private final PluginCatalog plugins;
  private final Function<RoutingContext, String> actor;
  private final io.frontdesk.pluginhost.BindingTrials trials;

  ConfigApi(ConfigStore store, ConfigReloader reloader, PluginCatalog plugins, Function<RoutingContext, String> actor,
      io.frontdesk.pluginhost.BindingTrials trials) {
    this.trials = trials;
    this.store = store;
    this.reloader = reloader;
    this.plugins = plugins;
    this.actor = actor;
  }

  /** What the API does with one resource kind. */
  private record Kind(
      String path,
      Set<String> listParams,
      Function<RoutingContext, Future<Page>> list,
      Function<String, Future<JsonObject>> get,
      BiFunction<JsonObject, String, Future<Change<JsonObject>>> create,
      Replace replace,
      BiFunction<String, String, Future<Change<JsonObject>>> delete) {
  }

  @FunctionalInterface
  private interface Replace {
    Future<Change<JsonObject>> apply(String ref, JsonObject in, String actor);
  }

  void mount(Router api) {
    mount(api, new Kind("sites", Set.of("limit", "offset", "q"),
        ctx -> store.listSites(limit(ctx), offset(ctx), ctx.request().getParam("q")),
        store::getSite,
        (in, who) -> store.createSite(ConfigInputs.site(in), who),
        (ref, in, who) -> store.replaceSite(ref, ConfigInputs.site(in), who),
        store::deleteSite));
    mount(api, new Kind("upstreams", Set.of("limit", "offset", "q"),
        ctx -> store.listUpstreams(limit(ctx), offset(ctx), ctx.request().getParam("q")),
        store::getUpstream,
        (in, who) -> store.createUpstream(ConfigInputs.upstream(in, plugins), who),
        (ref, in, who) -> store.replaceUpstream(ref, ConfigInputs.upstream(in, plugins), who),
        store::deleteUpstream));
    mount(api, new Kind("routes", Set.of("limit", "offset", "q", "site"),
        ctx -> store.listRoutes(limit(ctx), offset(ctx), ctx.request().getParam("q"), ctx.request().getParam("site")),
        store::getRoute,
        (in, who) -> store.createRoute(ConfigInputs.route(in), who),
        (ref, in, who) -> store.replaceRoute(ref, ConfigInputs.route(in), who),
        store::deleteRoute));

    QueryParams.only(api.get("/plugins/:plugin/bindings"), PAGING).handler(ctx -> answer(ctx,
        store.bindings().list(ctx.pathParam("plugin"), limit(ctx), offset(ctx)).map(Page::toJson).map(this::withStalls)));
    QueryParams.only(api.get("/bindings"), PAGING).handler(ctx -> answer(ctx,
        store.bindings().list(null, limit(ctx), offset(ctx)).map(Page::toJson)
        .map(this::withStalls)));
    // Binding checks end in the plugin's own trial create: off the event loop, bounded (BindingTrials).
    api.post("/plugins/:plugin/bindings").handler(ctx -> write(ctx, 201, () -> {
      String plugin = ctx.pathParam("plugin");
      JsonObject in = body(ctx);
      return trials.check(() -> ConfigInputs.binding(plugin, in, plugins))
          .compose(b -> store.bindings().create(plugin, b, actor.apply(ctx)));
    }, json -> "/api/v1/plugins/" + ctx.pathParam("plugin") + "/bindings/" + json.getString("id")));
    QueryParams.only(api.get("/plugins/:plugin/bindings/:id")).handler(ctx -> answer(ctx,
        store.bindings().get(ctx.pathParam("plugin"), ctx.pathParam("id")).map(this::withStall)));
    // A binding the stall watchdog tripped runs again on this node (see FilterWatchdog).
    api.post("/plugins/:plugin/bindings/:id/reset").handler(ctx -> answer(ctx,
        store.bindings().get(ctx.pathParam("plugin"), ctx.pathParam("id")).map(b -> {
          io.frontdesk.pluginhost.FilterGuard g = plugins.existingGuard(b.getString("id"));
          boolean was = g != null && g.reset();
          return withStall(b).put("wasTripped", was);
        })));
    api.put("/plugins/:plugin/bindings/:id").handler(ctx -> {
      String plugin = ctx.pathParam("plugin");
      JsonObject in = body(ctx);
      answerWrite(ctx, 200, store.bindings().get(plugin, ctx.pathParam("id")).compose(current ->
          trials.check(() -> ConfigInputs.binding(plugin, in, plugins, kindOf(current)))
              .compose(b -> store.bindings().replace(plugin, ctx.pathParam("id"), b, actor.apply(ctx)))), null);
    });
    api.patch("/plugins/:plugin/bindings/:id").handler(ctx -> {
      String plugin = ctx.pathParam("plugin");
      JsonObject patch = body(ctx);
      answerWrite(ctx, 200, store.bindings().get(plugin, ctx.pathParam("id")).compose(current -> {
        JsonObject merged = (JsonObject) JsonMergePatch.apply(withoutReadOnly(current), patch);
        if (merged.getValue("target") == null) {
          merged.remove("target");
        }
        return trials.check(() -> ConfigInputs.binding(plugin, merged, plugins, kindOf(current)))
            .compose(b -> store.bindings().replace(plugin, ctx.pathParam("id"), b, actor.apply(ctx)));
      }), null);
    });
    api.delete("/plugins/:plugin/bindings/:id").handler(ctx -> write(ctx, 204,
        () -> store.bindings().delete(ctx.pathParam("plugin"), ctx.pathParam("id"), actor.apply(ctx)), null));
    api.put("/bindings/order").handler(this::reorder);

    QueryParams.only(api.get("/history"), PAGING).handler(ctx -> answer(ctx,
        store.history().list(limit(ctx), offset(ctx)).map(Page::toJson)));
    QueryParams.only(api.get("/history/:version")).handler(ctx -> answer(ctx, store.history().document(version(ctx))));
    QueryParams.only(api.get("/history/:version/diff")).handler(ctx -> answer(ctx, store.history().diff(version(ctx))));
    api.post("/history/:version/rollback").handler(ctx -> {
      long v = version(ctx);
      answerWrite(ctx, 200, store.history().rollback(v, actor.apply(ctx)).map(c -> new Change<>(new JsonObject()
          .put("rolledBackTo", v).put("version", c.version()), c.version())), null);
    });
  }

  private void mount(Router api, Kind k) {
    String base = "/" + k.path();
    QueryParams.only(api.get(base), k.listParams()).handler(ctx -> answer(ctx, k.list().apply(ctx).map(Page::toJson)));
    api.post(base).handler(ctx -> write(ctx, 201, () -> k.create().apply(body(ctx), actor.apply(ctx)),
        json -> "/api/v1/" + k.path() + "/" + json.getString("id")));
    QueryParams.only(api.get(base + "/:ref")).handler(ctx -> answer(ctx, k.get().apply(ctx.pathParam("ref"))));
    api.put(base + "/:ref").handler(ctx -> write(ctx, 200,
        () -> k.replace().apply(ctx.pathParam("ref"), body(ctx), actor.apply(ctx)), null));
    api.patch(base + "/:ref").handler(ctx -> {
      JsonObject patch = body(ctx);
      answerWrite(ctx, 200, k.get().apply(ctx.pathParam("ref")).compose(current -> {
        JsonObject merged = (JsonObject) JsonMergePatch.apply(withoutReadOnly(current), patch);
        return k.replace().apply(ctx.pathParam("ref"), merged, actor.apply(ctx));
      }), null);
    });
    api.delete(base + "/:ref").handler(ctx -> write(ctx, 204,
        () -> k.delete().apply(ctx.pathParam("ref"), actor.apply(ctx)), null));
  }

  private void reorder(RoutingContext ctx) {
    JsonObject in = body(ctx);
    JsonArray items = in.getJsonArray("bindings");
    if (items == null) {
      throw new InvalidConfigException("bindings", "is required: [{id, priority}, …]");
    }
    List<String> ids = new ArrayList<>();
    List<Integer> prios = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object o = items.getValue(i);
      if (!(o instanceof JsonObject item) || !(item.getValue("id") instanceof String)
          || !(item.getValue("priority") instanceof Number)) {
        errors.add(new FieldError("bindings[" + i + "]", "must be {\"id\": string, \"priority\": integer}"));
        continue;
      }
      ids.add(item.getString("id"));
      prios.add(item.getInteger("priority"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    answerWrite(ctx, 200, store.bindings().reorder(ids, prios, actor.apply(ctx)).map(c -> new Change<>(
        new JsonObject().put("updated", c.value()).put("version", c.version()), c.version())), null);
  }

  private static io.frontdesk.config.PluginBinding.Kind kindOf(JsonObject binding) {
    return io.frontdesk.config.PluginBinding.Kind.parse(binding.getString("kind"));
  }

  /** Adds this node's stall state of a filter binding: {@code "stall": {"tripped", "reason", "since"}}. */
  private JsonObject withStall(JsonObject binding) {
    if (!"filter".equals(binding.getString("kind"))) {
      return binding;
    }
    io.frontdesk.pluginhost.FilterGuard g = plugins.existingGuard(binding.getString("id"));
    return binding.put("stall", g == null ? new JsonObject().put("tripped", false) : g.toJson());
  }

  private JsonObject withStalls(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    if (items != null) {
      items.forEach(o -> withStall((JsonObject) o));
    }
    return page;
  }

  private static JsonObject withoutReadOnly(JsonObject current) {
    JsonObject j = current.copy();
    READ_ONLY.forEach(j::remove);
    return j;
  }

  // ---------------------------------------------------------------------------------------------

  private void write(RoutingContext ctx, int status, java.util.function.Supplier<Future<Change<JsonObject>>> op,
      Function<JsonObject, String> location) {
    Future<Change<JsonObject>> f;
    try {
      f = op.get();
    } catch (RuntimeException e) {
      ApiErrors.send(ctx, e);
      return;
    }
    answerWrite(ctx, status, f, location);
  }

  private void answerWrite(RoutingContext ctx, int status, Future<? extends Change<JsonObject>> f,
      Function<JsonObject, String> location) {
    f.compose(change -> reloader.awaitVersion(change.version(), APPLY_WAIT_MILLIS).map(v -> change))
        .onSuccess(change -> {
          ctx.response().putHeader("x-config-version", Long.toString(change.version()));
          if (location != null) {
            ctx.response().putHeader("location", location.apply(change.value()));
          }
          if (status == 204) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(change.value().encode());
          }
        })
        .onFailure(t -> ApiErrors.send(ctx, t));
  }

  /** Answers with the future's JSON (200), or with the API's error for its failure. */
  static void answer(RoutingContext ctx, Future<JsonObject> f) {
    f.onSuccess(json -> ctx.response().putHeader("content-type", "application/json").end(json.encode()))
        .onFailure(t -> ApiErrors.send(ctx, t));
  }

  /** @throws InvalidConfigException when the body is not a JSON object */
  static JsonObject body(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw new InvalidConfigException("", "the request body must be a JSON object");
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(text);
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw new InvalidConfigException("", "the request body is not valid JSON: " + e.getMessage());
    }
    throw new InvalidConfigException("", "the request body must be a JSON object");
  }

  static int limit(RoutingContext ctx) {
    return intParam(ctx, "limit", 100, 1, 1000);
  }

  static int offset(RoutingContext ctx) {
    return intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
  }

  static int intParam(RoutingContext ctx, String name, int def, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new InvalidConfigException(name, "must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(name, "must be an integer");
    }
  }

  private static long version(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw new InvalidConfigException("version", "must be a number");
    }
  }
}
