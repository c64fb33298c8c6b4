package io.frontdesk.api.log;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable record of one finished exchange: what the access log stores and log sinks ship.
 * Read it through its accessors; make one with {@link #builder()} (or change a copy with
 * {@link #toBuilder()}), so that a field added in a later API version breaks no compiled plugin.
 */
public final class AccessLogRecord {
  private final Instant timestamp;
  private final String node;
  private final String requestId;
  private final String site;
  private final String route;
  private final String upstream;
  private final String target;
  private final String method;
  private final String scheme;
  private final String protocol;
  private final String host;
  private final String path;
  private final String query;
  private final int status;
  private final long requestBytes;
  private final long responseBytes;
  private final long durationMicros;
  private final long upstreamMicros;
  private final String clientIp;
  private final String userAgent;
  private final String referer;
  private final String tlsVersion;
  private final int retries;
  private final String details;
  private final List<FilterTiming> filters;
  private final Map<String, String> attributes;

  private AccessLogRecord(Builder b) {
    this.timestamp = b.timestamp;
    this.node = b.node;
    this.requestId = b.requestId;
    this.site = b.site;
    this.route = b.route;
    this.upstream = b.upstream;
    this.target = b.target;
    this.method = b.method;
    this.scheme = b.scheme;
    this.protocol = b.protocol;
    this.host = b.host;
    this.path = b.path;
    this.query = b.query;
    this.status = b.status;
    this.requestBytes = b.requestBytes;
    this.responseBytes = b.responseBytes;
    this.durationMicros = b.durationMicros;
    this.upstreamMicros = b.upstreamMicros;
    this.clientIp = b.clientIp;
    this.userAgent = b.userAgent;
    this.referer = b.referer;
    this.tlsVersion = b.tlsVersion;
    this.retries = b.retries;
    this.details = b.details;
    this.filters = b.filters == null ? List.of() : List.copyOf(b.filters);
    this.attributes = b.attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
  }

  /** @return a builder with every field unset (numbers 0, {@code upstreamMicros} -1) */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this record's fields */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.timestamp = timestamp;
    b.node = node;
    b.requestId = requestId;
    b.site = site;
    b.route = route;
    b.upstream = upstream;
    b.target = target;
    b.method = method;
    b.scheme = scheme;
    b.protocol = protocol;
    b.host = host;
    b.path = path;
    b.query = query;
    b.status = status;
    b.requestBytes = requestBytes;
    b.responseBytes = responseBytes;
    b.durationMicros = durationMicros;
    b.upstreamMicros = upstreamMicros;
    b.clientIp = clientIp;
    b.userAgent = userAgent;
    b.referer = referer;
    b.tlsVersion = tlsVersion;
    b.retries = retries;
    b.details = details;
    b.filters = filters;
    b.attributes = attributes;
    return b;
  }

  /** @return when the request head arrived */
  public Instant timestamp() {
    return timestamp;
  }

  /** @return the id of the proxy node that served it */
  public String node() {
    return node;
  }

  /** @return the request id ({@code X-Request-Id}) */
  public String requestId() {
    return requestId;
  }

  /** @return site name, or {@code null} when no site matched */
  public String site() {
    return site;
  }

  /** @return route name, or {@code null} */
  public String route() {
    return route;
  }

  /** @return upstream name, or {@code null} */
  public String upstream() {
    return upstream;
  }

  /** @return the chosen target {@code host:port}, or {@code null} when none was contacted */
  public String target() {
    return target;
  }

  /** @return the request method */
  public String method() {
    return method;
  }

  /** @return {@code http} or {@code https} */
  public String scheme() {
    return scheme;
  }

  /** @return {@code HTTP/1.1}, {@code HTTP/2}, … */
  public String protocol() {
    return protocol;
  }

  /** @return the requested host */
  public String host() {
    return host;
  }

  /** @return the path as received (normalised) */
  public String path() {
    return path;
  }

  /** @return the query string after redaction, or {@code null} */
  public String query() {
    return query;
  }

  /** @return the status sent to the client; 499 when the client left first */
  public int status() {
    return status;
  }

  /** @return request body bytes received */
  public long requestBytes() {
    return requestBytes;
  }

  /** @return response body bytes sent */
  public long responseBytes() {
    return responseBytes;
  }

  /** @return from request head to the end of the response, µs */
  public long durationMicros() {
    return durationMicros;
  }

  /** @return from sending upstream to the end of the upstream response, µs; -1 if none */
  public long upstreamMicros() {
    return upstreamMicros;
  }

  /** @return the client address (trusted-proxy aware) */
  public String clientIp() {
    return clientIp;
  }

  /** @return {@code User-Agent}, or {@code null} */
  public String userAgent() {
    return userAgent;
  }

  /** @return {@code Referer}, or {@code null} */
  public String referer() {
    return referer;
  }

  /** @return the TLS protocol, or {@code null} for plaintext */
  public String tlsVersion() {
    return tlsVersion;
  }

  /** @return how many times the request was retried on another target */
  public int retries() {
    return retries;
  }

  /** @return why Frontdesk answered by itself (no route, upstream down, a filter's reason), or {@code null} */
  public String details() {
    return details;
  }

  /** @return time and outcome of each filter, in chain order */
  public List<FilterTiming> filters() {
    return filters;
  }

  /** @return the logged attributes filters set */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AccessLogRecord r)) {
      return false;
    }
    return Objects.equals(timestamp, r.timestamp)
        && Objects.equals(node, r.node)
        && Objects.equals(requestId, r.requestId)
        && Objects.equals(site, r.site)
        && Objects.equals(route, r.route)
        && Objects.equals(upstream, r.upstream)
        && Objects.equals(target, r.target)
        && Objects.equals(method, r.method)
        && Objects.equals(scheme, r.scheme)
        && Objects.equals(protocol, r.protocol)
        && Objects.equals(host, r.host)
        && Objects.equals(path, r.path)
        && Objects.equals(query, r.query)
        && status == r.status
        && requestBytes == r.requestBytes
        && responseBytes == r.responseBytes
        && durationMicros == r.durationMicros
        && upstreamMicros == r.upstreamMicros
        && Objects.equals(clientIp, r.clientIp)
        && Objects.equals(userAgent, r.userAgent)
        && Objects.equals(referer, r.referer)
        && Objects.equals(tlsVersion, r.tlsVersion)
        && retries == r.retries
        && Objects.equals(details, r.details)
        && Objects.equals(filters, r.filters)
        && Objects.equals(attributes, r.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, node, requestId, status, path);
  }

  @Override
  public String toString() {
    return "AccessLogRecord" + toJson().encode();
  }

  /** Makes {@link AccessLogRecord}s; every setter returns the builder. */
  public static final class Builder {
    private Instant timestamp;
    private String node;
    private String requestId;
    private String site;
    private String route;
    private String upstream;
    private String target;
    private String method;
    private String scheme;
    private String protocol;
    private String host;
    private String path;
    private String query;
    private int status;
    private long requestBytes;
    private long responseBytes;
    private long durationMicros;
    private long upstreamMicros = -1;
    private String clientIp;
    private String userAgent;
    private String referer;
    private String tlsVersion;
    private int retries;
    private String details;
    private List<FilterTiming> filters;
    private Map<String, String> attributes;

    private Builder() {
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder node(String node) {
      this.node = node;
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder site(String site) {
      this.site = site;
      return this;
    }

    public Builder route(String route) {
      this.route = route;
      return this;
    }

    public Builder upstream(String upstream) {
      this.upstream = upstream;
      return this;
    }

    public Builder target(String target) {
      this.target = target;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder scheme(String scheme) {
      this.scheme = scheme;
      return this;
    }

    public Builder protocol(String protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    public Builder requestBytes(long requestBytes) {
      this.requestBytes = requestBytes;
      return this;
    }

    public Builder responseBytes(long responseBytes) {
      this.responseBytes = responseBytes;
      return this;
    }

    public Builder durationMicros(long durationMicros) {
      this.durationMicros = durationMicros;
      return this;
    }

    public Builder upstreamMicros(long upstreamMicros) {
      this.upstreamMicros = upstreamMicros;
      return this;
    }

    public Builder clientIp(String clientIp) {
      this.clientIp = clientIp;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public Builder referer(String referer) {
      this.referer = referer;
      return this;
    }

    public Builder tlsVersion(String tlsVersion) {
      this.tlsVersion = tlsVersion;
      return this;
    }

    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    public Builder details(String details) {
      this.details = details;
      return this;
    }

    public Builder filters(List<FilterTiming> filters) {
      this.filters = filters;
      return this;
    }

    public Builder attributes(Map<String, String> attributes) {
      this.attributes = attributes;
      return this;
    }

    public AccessLogRecord build() {
      return new AccessLogRecord(this);
    }
  }

  /**
   * @return the record as JSON with camelCase field names, absent values omitted, and {@code
   *     timestamp} in ISO-8601 — the form log shippers send
   */
  public JsonObject toJson() {
    return AccessLogJson.of(this);
  }
}
