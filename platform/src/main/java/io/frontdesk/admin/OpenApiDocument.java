package io.frontdesk.admin;

import io.frontdesk.input.ConfigInputs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAPI 3.1 description of the admin API, served at {@code /api/v1/openapi.json}. The
 * resource schemas are the very JSON Schemas the API validates input with.
 */
final class OpenApiDocument {

  private OpenApiDocument() {
  }

  static JsonObject build(String version) {
    JsonObject paths = new JsonObject();
    resource(paths, "sites", "Site", "A site: host names and the routes inside them.");
    resource(paths, "upstreams", "Upstream", "An upstream: a pool of backend targets.");
    resource(paths, "routes", "Route", "A route: which requests of a site go to which upstream.");
    paths.getJsonObject("/routes").getJsonObject("get").getJsonArray("parameters")
        .add(new JsonObject().put("name", "site").put("in", "query").put("schema", str())
            .put("description", "Only the routes of this site (name or id)."));

    JsonObject bindingParams = new JsonObject().put("parameters", new JsonArray()
        .add(pathParam("plugin", "The plugin id.")));
    paths.put("/plugins/{plugin}/bindings", bindingParams.copy()
        .put("get", op("List the bindings of a plugin", "PluginBinding", true, false))
        .put("post", op("Bind the plugin globally, to a site or to a route", "PluginBinding", false, true)
            .put("responses", created("PluginBinding"))));
    paths.put("/plugins/{plugin}/bindings/{id}", new JsonObject().put("parameters", new JsonArray()
            .add(pathParam("plugin", "The plugin id.")).add(pathParam("id", "The binding id.")))
        .put("get", op("Read a binding", "PluginBinding", false, false))
        .put("put", op("Replace a binding", "PluginBinding", false, true))
        .put("patch", op("Change some fields of a binding (JSON Merge Patch)", "PluginBinding", false, true))
        .put("delete", new JsonObject().put("summary", "Delete a binding").put("responses", deleted())));
    paths.put("/plugins/{plugin}/bindings/{id}/reset", new JsonObject().put("parameters", new JsonArray()
            .add(pathParam("plugin", "The plugin id.")).add(pathParam("id", "The binding id.")))
        .put("post", new JsonObject().put("summary", "Let a binding the stall watchdog tripped run again on this node; "
            + "answers the binding with its stall state and wasTripped")
            .put("responses", ok(new JsonObject().put("type", "object")))));
    paths.put("/history", new JsonObject().put("get", new JsonObject().put("summary", "Configuration versions, newest first")
        .put("parameters", paging()).put("responses", ok(new JsonObject().put("type", "object")))));
    paths.put("/history/{version}", new JsonObject().put("parameters", new JsonArray().add(pathParam("version", "A version.")))
        .put("get", new JsonObject().put("summary", "The whole configuration at a version")
            .put("responses", ok(new JsonObject().put("type", "object")))));
    paths.put("/history/{version}/diff", new JsonObject().put("parameters",
            new JsonArray().add(pathParam("version", "A version.")))
        .put("get", new JsonObject().put("summary", "What this version changed against the one before, keyed by "
            + "names (sites/shop/hosts, routes/api/priority, bindings/access-control@route:api/config.allow); "
            + "references shown by name")
            .put("responses", ok(new JsonObject().put("type", "object")))));
    paths.put("/history/{version}/rollback", new JsonObject().put("parameters",
            new JsonArray().add(pathParam("version", "The version to restore.")))
        .put("post", new JsonObject().put("summary", "Restore an earlier version (recorded as a new version)")
            .put("responses", ok(new JsonObject().put("type", "object")))));
    paths.put("/status", new JsonObject().put("get", new JsonObject().put("summary", "This node's state")
        .put("responses", ok(new JsonObject().put("type", "object")))));
    JsonObject any = new JsonObject().put("type", "object");
    paths.put("/auth/login", new JsonObject().put("post", new JsonObject()
        .put("summary", "Sign in with {name, password}: sets the fd_session cookie, answers {name, role, csrfToken}")
        .put("security", new JsonArray())
        .put("requestBody", new JsonObject().put("content", new JsonObject().put("application/json",
            new JsonObject().put("schema", any))))
        .put("responses", ok(any))));
    paths.put("/auth/logout", new JsonObject().put("post", new JsonObject().put("summary", "End this session")
        .put("responses", deleted())));
    paths.put("/auth/session", new JsonObject().put("get", new JsonObject()
        .put("summary", "Who is signed in: {signedIn, name, role, csrfToken}; {signedIn: false} without a session or token").put("responses", ok(any))));
    paths.put("/auth/password", new JsonObject().put("post", new JsonObject()
        .put("summary", "Change your own password: {current, password}").put("responses", deleted())));
    paths.put("/users", new JsonObject()
        .put("get", new JsonObject().put("summary", "Accounts").put("responses", ok(any)))
        .put("post", new JsonObject().put("summary", "Create an account: {name, password, role: admin|viewer}")
            .put("responses", ok(any))));
    paths.put("/users/{name}", new JsonObject().put("parameters", new JsonArray().add(pathParam("name", "Account name.")))
        .put("patch", new JsonObject().put("summary", "Change role and/or password").put("responses", deleted()))
        .put("delete", new JsonObject().put("summary", "Remove an account").put("responses", deleted())));
    paths.put("/tokens", new JsonObject()
        .put("get", new JsonObject().put("summary", "API tokens (never their secrets)").put("responses", ok(any)))
        .put("post", new JsonObject().put("summary", "Create a token: {name, role, expiresAt or expiresIn (optional)}; the answer shows it once; it never does more than its creator may do now")
            .put("responses", ok(any))));
    paths.put("/trace", new JsonObject().put("post", new JsonObject()
        .put("summary", "Send {host|site, method, path, headers, body} through this node's proxy; answers the "
            + "proxy's trace of it (route, filters, target, retries, response) and the response")
        .put("responses", ok(any))));
    OpenApiTraffic.add(paths);
    paths.put("/tokens/{ref}", new JsonObject().put("parameters", new JsonArray().add(pathParam("ref", "Id or name.")))
        .put("delete", new JsonObject().put("summary", "Revoke a token").put("responses", deleted())));

    JsonObject schemas = new JsonObject()
        .put("Site", component(ConfigInputs.siteSchema()))
        .put("Upstream", component(ConfigInputs.upstreamSchema()))
        .put("Route", component(ConfigInputs.routeSchema()))
        .put("PluginBinding", component(ConfigInputs.bindingSchema()))
        .put("Error", new JsonObject().put("type", "object")
            .put("properties", new JsonObject()
                .put("error", str().put("description", "A short code: invalid, conflict, not_found, …"))
                .put("message", str())
                .put("errors", new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "object")
                    .put("properties", new JsonObject().put("field", str()).put("message", str()))))));
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "Frontdesk admin API").put("version", version)
            .put("description", "Manage sites, upstreams, routes and plugins. Every change is one transaction "
                + "and a new configuration version; a write answers once this node serves it."))
        .put("servers", new JsonArray().add(new JsonObject().put("url", "/api/v1")))
        .put("paths", paths)
        .put("components", new JsonObject().put("schemas", schemas)
            .put("securitySchemes", new JsonObject()
                .put("bearer", new JsonObject().put("type", "http").put("scheme", "bearer"))
                .put("session", new JsonObject().put("type", "apiKey").put("in", "cookie").put("name", "fd_session"))))
        .put("security", new JsonArray().add(new JsonObject().put("bearer", new JsonArray()))
            .add(new JsonObject().put("session", new JsonArray())));
  }

  private static void resource(JsonObject paths, String plural, String schema, String description) {
    JsonObject list = op("List " + plural + " (by name)", schema, true, false);
    list.getJsonArray("parameters").add(new JsonObject().put("name", "q").put("in", "query").put("schema", str())
        .put("description", "Only names containing this text."));
    paths.put("/" + plural, new JsonObject().put("description", description)
        .put("get", list)
        .put("post", op("Create a " + schema.toLowerCase(), schema, false, true).put("responses", created(schema))));
    paths.put("/" + plural + "/{ref}", new JsonObject()
        .put("parameters", new JsonArray().add(pathParam("ref", "The id or the name.")))
        .put("get", op("Read a " + schema.toLowerCase(), schema, false, false))
        .put("put", op("Replace a " + schema.toLowerCase(), schema, false, true))
        .put("patch", op("Change some fields (JSON Merge Patch)", schema, false, true))
        .put("delete", new JsonObject().put("summary", "Delete a " + schema.toLowerCase()).put("responses", deleted())));
  }

  private static JsonObject op(String summary, String schema, boolean list, boolean withBody) {
    JsonObject ref = new JsonObject().put("$ref", "#/components/schemas/" + schema);
    JsonObject result = list ? new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("items", new JsonObject().put("type", "array").put("items", ref))
        .put("total", new JsonObject().put("type", "integer"))
        .put("limit", new JsonObject().put("type", "integer"))
        .put("offset", new JsonObject().put("type", "integer"))) : ref;
    JsonObject o = new JsonObject().put("summary", summary).put("parameters", list ? paging() : new JsonArray())
        .put("responses", ok(result));
    if (withBody) {
      o.put("requestBody", new JsonObject().put("required", true).put("content", new JsonObject()
          .put("application/json", new JsonObject().put("schema", ref))));
    }
    return o;
  }

  static JsonArray paging() {
    return new JsonArray()
        .add(new JsonObject().put("name", "limit").put("in", "query")
            .put("schema", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 1000).put("default", 100)))
        .add(new JsonObject().put("name", "offset").put("in", "query")
            .put("schema", new JsonObject().put("type", "integer").put("minimum", 0).put("default", 0)));
  }

  static JsonObject ok(JsonObject schema) {
    return errors().put("200", new JsonObject().put("description", "OK").put("content",
        new JsonObject().put("application/json", new JsonObject().put("schema", schema))));
  }

  private static JsonObject created(String schema) {
    return errors().put("201", new JsonObject().put("description", "Created; Location names the new resource")
        .put("content", new JsonObject().put("application/json", new JsonObject()
            .put("schema", new JsonObject().put("$ref", "#/components/schemas/" + schema)))));
  }

  static JsonObject deleted() {
    return errors().put("204", new JsonObject().put("description", "Deleted"));
  }

  private static JsonObject errors() {
    JsonObject err = new JsonObject().put("application/json", new JsonObject()
        .put("schema", new JsonObject().put("$ref", "#/components/schemas/Error")));
    return new JsonObject()
        .put("400", new JsonObject().put("description", "Invalid input; errors lists each field").put("content", err))
        .put("401", new JsonObject().put("description", "Not signed in").put("content", err))
        .put("403", new JsonObject().put("description", "Not allowed for this role").put("content", err))
        .put("404", new JsonObject().put("description", "No such resource").put("content", err))
        .put("409", new JsonObject().put("description", "Conflicts with the stored configuration").put("content", err))
        .put("503", new JsonObject().put("description", "The database is unreachable").put("content", err));
  }

  static JsonObject pathParam(String name, String description) {
    return new JsonObject().put("name", name).put("in", "path").put("required", true).put("schema", str())
        .put("description", description);
  }

  static JsonObject str() {
    return new JsonObject().put("type", "string");
  }

  private static JsonObject component(JsonObject schema) {
    JsonObject s = schema.copy();
    s.remove("$schema");
    s.remove("$id");
    return s;
  }
}
