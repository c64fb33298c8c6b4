package io.frontdesk.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JDK HTTP client for tests (independent of the code under test). */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** A response with its body as text. */
  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private Http() {
  }

  public static Response get(String url, String... headers) {
    return send("GET", url, null, headers);
  }

  public static Response send(String method, String url, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The admin token test nodes start with ({@code --admin-token}). */
  public static final String ADMIN_TOKEN = "test-admin-token-8f3c2a91";
  /** The header that authenticates with {@link #ADMIN_TOKEN}. */
  public static final String[] AUTH = {"Authorization", "Bearer " + ADMIN_TOKEN};

  /** The admin API of one node, called with {@link #ADMIN_TOKEN}. */
  public record Admin(String base) {
    public Response get(String path) {
      return Http.send("GET", base + path, null, AUTH);
    }

    public Response post(String path, Object json) {
      return Http.send("POST", base + path, json == null ? null : json.toString(), "content-type", "application/json",
          AUTH[0], AUTH[1]);
    }

    public Response put(String path, Object json) {
      return Http.send("PUT", base + path, json.toString(), "content-type", "application/json", AUTH[0], AUTH[1]);
    }

    public Response patch(String path, Object json) {
      return Http.send("PATCH", base + path, json.toString(), "content-type", "application/json", AUTH[0], AUTH[1]);
    }

    public Response delete(String path) {
      return Http.send("DELETE", base + path, null, AUTH);
    }

    /** Creates an upstream, a catch-all site and a route to it; asserts each step succeeded. */
    public void simpleRoute(String name, String hosts, int... ports) {
      io.vertx.core.json.JsonArray targets = new io.vertx.core.json.JsonArray();
      for (int p : ports) {
        targets.add(new JsonObject().put("host", "127.0.0.1").put("port", p));
      }
      expect(201, post("/upstreams", new JsonObject().put("name", name).put("targets", targets)));
      expect(201, post("/sites", new JsonObject().put("name", name)
          .put("hosts", new io.vertx.core.json.JsonArray(java.util.List.of(hosts.split(","))))));
      expect(201, post("/routes", new JsonObject().put("name", name).put("site", name).put("upstream", name)));
    }

    public static Response expect(int status, Response r) {
      if (r.status() != status) {
        throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.body());
      }
      return r;
    }
  }

  public static Map<String, String> map(String... kv) {
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
