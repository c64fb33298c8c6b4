package io.frontdesk.admin;

import io.frontdesk.proxy.TraceRegistry;
import io.frontdesk.routing.CompiledSite;
import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.store.ConfigStore;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * "Send a request through Frontdesk": {@code POST /api/v1/trace} sends the described request to
 * this node's own proxy port with a one-time trace token, and answers with the proxy's own record
 * of its way (matched route, each filter's decision and time, the chosen target, retries, the
 * response) next to what the client received. Only signed-in operators (the API's guard) can get a
 * token, so nobody else can make the proxy trace a request.
 */
final class TraceApi {

  private static final int MAX_BODY_SHOWN = 64 * 1024;
  private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$");

  private final TraceRegistry traces;
  private final ConfigStore store;
  private final java.util.function.IntSupplier proxyPort;
  private final String proxyHost;
  private final HttpClient client;
  private final Supplier<ConfigSnapshot> snapshot;

  TraceApi(Vertx vertx, TraceRegistry traces, ConfigStore store, String proxyBind,
      java.util.function.IntSupplier proxyPort, Supplier<ConfigSnapshot> snapshot) {
    this.snapshot = snapshot;
    this.traces = traces;
    this.store = store;
    this.proxyPort = proxyPort;
    this.proxyHost = proxyBind.equals("0.0.0.0") || proxyBind.equals("::") ? "127.0.0.1" : proxyBind;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  void mount(Router api) {
    api.post("/trace").handler(this::trace);
  }

  private void trace(RoutingContext ctx) {
    JsonObject in;
    try {
      in = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      in = null;
    }
    if (in == null) {
      ApiErrors.send(ctx, new InvalidConfigException("", "the body must be a JSON object"));
      return;
    }
    JsonObject req = in;
    List<FieldError> errors = new ArrayList<>();
    String method = req.getValue("method", "GET") instanceof String m ? m.toUpperCase(Locale.ROOT) : "";
    if (!TOKEN.matcher(method).matches() || method.length() > 16) {
      errors.add(new FieldError("method", "must be an HTTP method such as GET"));
    }
    String path = req.getValue("path", "/") instanceof String p ? p : "";
    if (!path.startsWith("/") || path.length() > 8192 || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      errors.add(new FieldError("path", "must start with '/' and hold no spaces or control characters"));
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Object h = req.getValue("headers");
    if (h instanceof JsonObject ho) {
      ho.forEach(e -> {
        if (!TOKEN.matcher(e.getKey()).matches() || !(e.getValue() instanceof String v) || v.indexOf('\r') >= 0
            || v.indexOf('\n') >= 0) {
          errors.add(new FieldError("headers." + e.getKey(), "must be a header name with a one-line string value"));
        } else {
          headers.add(e.getKey(), (String) e.getValue());
        }
      });
    } else if (h != null) {
      errors.add(new FieldError("headers", "must be an object of name: value"));
    }
    Object body = req.getValue("body");
    if (body != null && !(body instanceof String)) {
      errors.add(new FieldError("body", "must be a string"));
    }
    Object host = req.getValue("host");
    Object site = req.getValue("site");
    if (host == null && site == null) {
      errors.add(new FieldError("host", "give the host to send (or a site, whose first host is used)"));
    } else if (host != null && !(host instanceof String hs && hs.matches("^[A-Za-z0-9.:*-]{1,255}$"))) {
      errors.add(new FieldError("host", "must be a host name"));
    }
    if (!errors.isEmpty()) {
      ApiErrors.send(ctx, new InvalidConfigException(errors));
      return;
    }
    Future<String> hostName = host != null ? Future.succeededFuture((String) host)
        : store.getSite(String.valueOf(site)).map(this::hostFor);
    ConfigApi.answer(ctx, hostName.compose(hn -> send(method, path, headers, (String) body, hn)));
  }

  /**
   * A host that reaches the site: its first exact name; else, for a wildcard ({@code *.shop.test})
   * or the catch-all {@code *}, the first of a few names it matches ({@code www.shop.test},
   * {@code localhost}) that no other site claims in the configuration being served.
   */
  String hostFor(JsonObject site) {
    JsonArray hosts = site.getJsonArray("hosts", new JsonArray());
    List<String> candidates = new ArrayList<>();
    for (Object o : hosts) {
      String h = String.valueOf(o);
      if (!h.contains("*")) {
        return h;
      }
      candidates.addAll(h.equals("*") ? List.of("localhost", "trace.localhost", "trace.invalid")
          : List.of("www" + h.substring(1), "trace" + h.substring(1)));
    }
    ConfigSnapshot snap = snapshot.get();
    for (String c : candidates) {
      CompiledSite found = snap.site(c);
      if (found != null && found.site().id().equals(site.getString("id"))) {
        return c;
      }
    }
    return candidates.isEmpty() ? "localhost" : candidates.get(0);
  }

  private Future<JsonObject> send(String method, String path, MultiMap headers, String body, String host) {
    String token = traces.issue();
    Future<JsonObject> traced = traces.result(token); // taken now: the trace may finish before the response is read
    long t0 = System.nanoTime();
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost(proxyHost)
        .setPort(proxyPort.getAsInt()).setURI(path).setHeaders(headers).setTimeout(60_000);
    o.putHeader("Host", host).putHeader(TraceRegistry.HEADER, token);
    JsonObject sent = new JsonObject().put("method", method).put("host", host).put("path", path)
        .put("headers", toJson(headers));
    return client.request(o)
        .compose(r -> body == null ? r.send() : r.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> new JsonObject()
            .put("status", resp.statusCode())
            .put("headers", toJson(resp.headers()))
            .put("body", b.length() > MAX_BODY_SHOWN ? b.getString(0, MAX_BODY_SHOWN) : b.toString())
            .put("bodyBytes", b.length())
            .put("truncated", b.length() > MAX_BODY_SHOWN)
            .put("totalMicros", (System.nanoTime() - t0) / 1000)))
        .compose(received -> traced
            .map(trace -> new JsonObject().put("request", sent).put("trace", trace).put("response", received)));
  }

  private static JsonObject toJson(MultiMap m) {
    JsonObject j = new JsonObject();
    m.forEach(e -> {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      j.put(k, j.containsKey(k) ? j.getString(k) + ", " + e.getValue() : e.getValue());
    });
    return j;
  }
}
