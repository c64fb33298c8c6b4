package io.frontdesk.admin;

import io.frontdesk.auth.AdminAuth;
import io.frontdesk.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * Sign-in and who may do what on the admin server. Every request under {@code /api/v1} (and the
 * plugin upload) needs a session cookie or an {@code Authorization: Bearer} token, except signing
 * in and the OpenAPI document. Session requests that change something must carry the session's
 * {@code X-CSRF-Token} (and, when the browser sends one, a same-origin {@code Origin}); viewers
 * may only read.
 */
final class AuthApi {

  static final String COOKIE = "fd_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String PRINCIPAL = "frontdesk.principal";

  private final AdminAuth auth;
  private io.frontdesk.proxy.TrustedProxies trusted = io.frontdesk.proxy.TrustedProxies.none();

  AuthApi(AdminAuth auth) {
    this.auth = auth;
  }

  /** Proxies in front of the admin server whose {@code X-Forwarded-For} names the client (for the sign-in throttle). */
  void trust(io.frontdesk.proxy.TrustedProxies proxies) {
    this.trusted = proxies;
  }

  /** @return the client's address: the peer, or the client a trusted proxy names */
  String clientAddress(io.vertx.core.http.HttpServerRequest r) {
    io.vertx.core.net.SocketAddress ra = r.remoteAddress();
    String peer = ra == null || ra.hostAddress() == null ? "?" : ra.hostAddress();
    java.net.InetAddress a = trusted.isEmpty() ? null : io.frontdesk.net.IpLiteral.parse(peer);
    if (a != null && trusted.trusts(a)) {
      String c = trusted.clientFrom(r.headers().getAll("X-Forwarded-For"));
      if (c != null) {
        return c;
      }
    }
    return peer;
  }

  /** @return who made the request (set by {@link #guard}); "api" when unknown */
  static String actor(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    return p == null ? "api" : p.name();
  }

  /** The check in front of every protected route. */
  void guard(RoutingContext ctx) {
    String path = ctx.request().path();
    HttpMethod m = ctx.request().method();
    if (path.equals("/api/v1/auth/login") || path.equals("/api/v1/openapi.json") && m == HttpMethod.GET) {
      ctx.next();
      return;
    }
    Cookie c = ctx.request().getCookie(COOKIE);
    ctx.request().pause(); // the body waits for the check (the body handler comes after it)
    auth.authenticate(ctx.request().getHeader("Authorization"), c == null ? null : c.getValue()).onComplete(ar -> {
      if (ar.failed()) {
        ctx.request().resume();
        ApiErrors.send(ctx, ar.cause());
        return;
      }
      Principal p = ar.result();
      if (p == null && m == HttpMethod.GET && path.equals("/api/v1/auth/session")) {
        // asking whether one is signed in is not an error (a 401 here was a console error on
        // every load of the dashboard's sign-in page)
        ctx.request().resume();
        ok(ctx, new JsonObject().put("signedIn", false));
        return;
      }
      if (p == null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"frontdesk\"");
        refuse(ctx, 401, "unauthorized", "sign in, or send an API token as Authorization: Bearer <token>");
        return;
      }
      boolean changes = m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
      if (changes && p.isSession()) {
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !sameOrigin(origin, ctx.request().getHeader("Host"))) {
          refuse(ctx, 403, "forbidden", "cross-origin request refused");
          return;
        }
        if (!p.csrfToken().equals(ctx.request().getHeader(CSRF_HEADER))) {
          refuse(ctx, 403, "csrf", "missing or wrong " + CSRF_HEADER + " header");
          return;
        }
      }
      if (changes && p.role() != Principal.Role.ADMIN && !selfService(path)) {
        refuse(ctx, 403, "forbidden", "the " + p.role().id() + " role may only read");
        return;
      }
      ctx.put(PRINCIPAL, p);
      ctx.next();
    });
  }

  /** Answers a refused request; its unread body is discarded so the connection stays usable. */
  private static void refuse(RoutingContext ctx, int status, String code, String message) {
    ctx.request().resume();
    ApiErrors.reply(ctx, status, code, message, null);
  }

  private static boolean selfService(String path) {
    return path.equals("/api/v1/auth/logout") || path.equals("/api/v1/auth/password");
  }

  private static boolean sameOrigin(String origin, String host) {
    try {
      URI o = URI.create(origin);
      String hostPort = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return host != null && host.equalsIgnoreCase(hostPort);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  void mount(Router api) {
    api.post("/auth/login").handler(this::login);
    api.post("/auth/logout").handler(ctx -> {
      Cookie c = ctx.request().getCookie(COOKIE);
      auth.logout(c == null ? null : c.getValue()).onComplete(ar -> {
        ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
        ctx.response().setStatusCode(204).end();
      });
    });
    QueryParams.only(api.get("/auth/session")).handler(ctx -> {
      Principal p = ctx.get(PRINCIPAL);
      ok(ctx, new JsonObject().put("signedIn", true).put("name", p.name()).put("role", p.role().id())
          .put("csrfToken", p.csrfToken()).put("idleTimeoutSeconds", auth.idleTimeout().toSeconds()));
    });
    api.post("/auth/password").handler(ctx -> {
      Principal p = ctx.get(PRINCIPAL);
      JsonObject b = body(ctx);
      if (!p.isSession()) {
        ApiErrors.reply(ctx, 400, "invalid", "a token has no password; sign in as the account", null);
        return;
      }
      reply(ctx, auth.changeOwnPassword(p.name(), b.getValue("current") instanceof String s ? s : null,
          b.getValue("password")).map(x -> null), 204);
    });
    QueryParams.only(api.get("/users")).handler(ctx -> reply(ctx,
        auth.listUsers().map(a -> new JsonObject().put("items", a)), 200));
    api.post("/users").handler(ctx -> reply(ctx, auth.createUser(body(ctx)), 201));
    api.patch("/users/:name").handler(ctx -> reply(ctx, auth.updateUser(ctx.pathParam("name"), body(ctx)).map(x -> null), 204));
    api.delete("/users/:name").handler(ctx -> reply(ctx, auth.deleteUser(ctx.pathParam("name")).map(x -> null), 204));
    QueryParams.only(api.get("/tokens")).handler(ctx -> reply(ctx,
        auth.listTokens().map(a -> new JsonObject().put("items", a)), 200));
    api.post("/tokens").handler(ctx -> reply(ctx, auth.createToken(body(ctx), ctx.get(PRINCIPAL)), 201));
    api.delete("/tokens/:id").handler(ctx -> reply(ctx, auth.deleteToken(ctx.pathParam("id")).map(x -> null), 204));
  }

  private void login(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String name = b.getValue("name") instanceof String s ? s : "";
    String password = b.getValue("password") instanceof String s ? s : "";
    String ip = clientAddress(ctx.request());
    auth.login(name, password, ip).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof AdminAuth.Throttled t) {
          ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, (t.retryAfterMillis + 999) / 1000)));
          ApiErrors.reply(ctx, 429, "throttled", t.getMessage(), null);
        } else {
          ApiErrors.send(ctx, ar.cause());
        }
        return;
      }
      AdminAuth.Session s = ar.result();
      if (s == null) {
        ApiErrors.reply(ctx, 401, "unauthorized", "wrong name or password", null);
        return;
      }
      ctx.response().addCookie(cookie(ctx, s.cookie()));
      ok(ctx, new JsonObject().put("name", s.principal().name()).put("role", s.principal().role().id())
          .put("csrfToken", s.csrfToken()).put("idleTimeoutSeconds", auth.idleTimeout().toSeconds()));
    });
  }

  private static Cookie cookie(RoutingContext ctx, String value) {
    boolean tls = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(tls);
  }

  private static void ok(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(json.encode());
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      return b == null ? new JsonObject() : b;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> f, int status) {
    f.onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.send(ctx, ar.cause());
      } else if (status == 204 || ar.result() == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(ar.result().encode());
      }
    });
  }
}
