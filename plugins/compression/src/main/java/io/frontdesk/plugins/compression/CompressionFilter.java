package io.frontdesk.plugins.compression;

import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.http.Headers;
import io.frontdesk.api.http.RequestHead;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;

/**
 * Compresses responses the client can take and the operator wants compressed; optionally
 * decompresses request bodies. Skips what must not be touched: bodies already encoded,
 * {@code Cache-Control: no-transform}, 1xx/204/206/304, HEAD, ranges and upgrades.
 */
final class CompressionFilter implements Filter {

  /** The coding applied to the response ({@code gzip}, {@code br}, {@code zstd}), for the access log. */
  static final AttributeKey<String> RESPONSE = AttributeKey.of("compression.response", String.class);
  /** The coding of a request body this filter decompressed. */
  static final AttributeKey<String> REQUEST = AttributeKey.of("compression.request", String.class);

  private final CompressionConfig config;

  CompressionFilter(CompressionConfig config) {
    this.config = config;
  }

  @Override
  public Future<FilterResult> onRequest(Exchange exchange) {
    if (!config.decompressRequests()) {
      return FilterResult.proceed();
    }
    Headers h = exchange.request().headers();
    String ce = h.get("content-encoding");
    if (ce == null || ce.indexOf(',') >= 0) {
      return FilterResult.proceed(); // stacked codings are passed on as they are
    }
    Coding coding = Coding.of(ce);
    if (coding == null || !coding.available()) {
      return FilterResult.proceed();
    }
    exchange.transformRequestBody(Decompressor.of(coding, config.maxDecompressedBytes()));
    h.remove("content-encoding");
    h.remove("content-length");
    exchange.attributes().put(REQUEST, coding.token);
    return FilterResult.proceed();
  }

  @Override
  public Future<FilterResult> onResponse(Exchange exchange) {
    RequestHead req = exchange.request();
    int status = exchange.response().status();
    if (exchange.isUpgrade() || status < 200 || status == 204 || status == 206 || status == 304
        || "HEAD".equals(req.method())) {
      return FilterResult.proceed();
    }
    Headers h = exchange.response().headers();
    String encoding = h.get("content-encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")
        || h.contains("content-range") || noTransform(h.getAll("cache-control"))) {
      return FilterResult.proceed();
    }
    String type = h.get("content-type");
    if (!CompressionConfig.matches(config.types(), type)) {
      return FilterResult.proceed();
    }
    long length = contentLength(h.get("content-length"));
    if (length >= 0 && length < config.minLength()) {
      return FilterResult.proceed();
    }
    addVary(h);
    Coding coding = AcceptEncoding.choose(String.join(",", req.headers().getAll("accept-encoding")),
        config.preference());
    if (coding == null) {
      return FilterResult.proceed();
    }
    h.set("content-encoding", coding.token);
    h.remove("content-length");
    h.remove("accept-ranges"); // ranges would address the compressed bytes
    String etag = h.get("etag");
    if (etag != null && etag.startsWith("\"")) {
      h.set("etag", "W/" + etag); // the bytes differ now; a weak validator still revalidates
    }
    boolean flush = CompressionConfig.matches(config.flushTypes(), type);
    exchange.transformResponseBody(new Compressor(coding, config.levels().get(coding), flush));
    exchange.attributes().put(RESPONSE, coding.token);
    return FilterResult.proceed();
  }

  static boolean noTransform(List<String> cacheControl) {
    for (String v : cacheControl) {
      for (String d : v.split(",")) {
        if (d.trim().toLowerCase(Locale.ROOT).equals("no-transform")) {
          return true;
        }
      }
    }
    return false;
  }

  private static long contentLength(String v) {
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void addVary(Headers h) {
    for (String v : h.getAll("vary")) {
      for (String f : v.split(",")) {
        String t = f.trim();
        if (t.equals("*") || t.equalsIgnoreCase("accept-encoding")) {
          return;
        }
      }
    }
    h.add("vary", "Accept-Encoding");
  }
}
