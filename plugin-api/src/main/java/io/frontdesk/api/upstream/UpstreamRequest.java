package io.frontdesk.api.upstream;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request a filter sends to its route's upstream. {@code Host} is set as for the client's
 * requests to that upstream (the target's host header); framing headers ({@code Content-Length},
 * {@code Transfer-Encoding}) and hop-by-hop headers are Frontdesk's to set and are refused here.
 */
public final class UpstreamRequest {

  /** The largest response body {@link #maxResponseBytes(int)} accepts: 16 MiB. */
  public static final int MAX_RESPONSE_BYTES = 16 << 20;

  private final String method;
  private final String uri;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private Buffer body;
  private int maxResponseBytes = 1 << 20;
  private long timeoutMillis = 10_000;

  private UpstreamRequest(String method, String uri) {
    if (method == null || !method.matches("[A-Z]{1,20}")) {
      throw new IllegalArgumentException("method must be 1..20 upper-case letters, was " + method);
    }
    if (uri == null || !uri.startsWith("/") || uri.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      throw new IllegalArgumentException("uri must start with / and hold no spaces or controls, was " + uri);
    }
    this.method = method;
    this.uri = uri;
  }

  /**
   * @param method e.g. {@code GET}
   * @param uri path and query, e.g. {@code /introspect?token=abc}
   */
  public static UpstreamRequest of(String method, String uri) {
    return new UpstreamRequest(method, uri);
  }

  /** Adds a header. */
  public UpstreamRequest header(String name, String value) {
    Objects.requireNonNull(value, "value");
    String n = Objects.requireNonNull(name, "name").toLowerCase(java.util.Locale.ROOT);
    if (n.isEmpty() || !n.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':')) {
      throw new IllegalArgumentException("not a header name: " + name);
    }
    if (List.of("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "proxy-connection", "host").contains(n)) {
      throw new IllegalArgumentException("header '" + name + "' is set by Frontdesk");
    }
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException("header '" + name + "' holds CR, LF or NUL");
    }
    headers.add(Map.entry(name, value));
    return this;
  }

  /** Sets the body (sent with {@code Content-Length}). */
  public UpstreamRequest body(Buffer body) {
    this.body = body;
    return this;
  }

  /** Sets the largest response body accepted (default 1 MiB, at most {@link #MAX_RESPONSE_BYTES}). */
  public UpstreamRequest maxResponseBytes(int max) {
    if (max < 0 || max > MAX_RESPONSE_BYTES) {
      throw new IllegalArgumentException("maxResponseBytes must be 0.." + MAX_RESPONSE_BYTES + ", was " + max);
    }
    this.maxResponseBytes = max;
    return this;
  }

  /** Sets how long the whole subrequest may take, retries included (default 10 s). */
  public UpstreamRequest timeoutMillis(long millis) {
    if (millis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be positive, was " + millis);
    }
    this.timeoutMillis = millis;
    return this;
  }

  /** @return the method */
  public String method() {
    return method;
  }

  /** @return path and query */
  public String uri() {
    return uri;
  }

  /** @return the headers in the order added */
  public List<Map.Entry<String, String>> headers() {
    return Collections.unmodifiableList(headers);
  }

  /** @return the body, or {@code null} */
  public Buffer body() {
    return body;
  }

  /** @return the largest response body accepted */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** @return how long the subrequest may take */
  public long timeoutMillis() {
    return timeoutMillis;
  }
}
