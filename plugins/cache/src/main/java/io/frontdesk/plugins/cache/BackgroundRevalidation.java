package io.frontdesk.plugins.cache;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.upstream.UpstreamRequest;
import io.frontdesk.api.upstream.UpstreamResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Validates a stale response in the background while it answers (RFC 5861 3,
 * {@code stale-while-revalidate}): one subrequest per key at a time, through the route's upstream
 * with the request's own fields and the stored validators. A 304 freshens the stored response, a
 * storable response replaces it, any other non-error answer removes it.
 */
final class BackgroundRevalidation {

  /** Fields a subrequest may not set, or that the revalidation sets itself. */
  private static final Set<String> SKIPPED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive",
      "upgrade", "te", "trailer", "proxy-connection", "host", "x-request-id", "expect");

  private final CacheConfig config;
  private final Zone zone;
  private final LongSupplier clock;

  BackgroundRevalidation(CacheConfig config, Zone zone, LongSupplier clock) {
    this.config = config;
    this.zone = zone;
    this.clock = clock;
  }

  void start(Exchange ex, String key, StoredResponse stored, RequestDirectives req) {
    if (!zone.startRevalidation(key)) {
      return; // one already runs for this key
    }
    zone.stats().backgroundRevalidation();
    UpstreamRequest ur;
    try {
      ur = UpstreamRequest.of("GET", ex.request().uri())
          .maxResponseBytes((int) Math.min(UpstreamRequest.MAX_RESPONSE_BYTES, config.maxObjectBytes()));
      for (Map.Entry<String, String> h : ex.request().headers()) {
        String n = h.getKey().toLowerCase(Locale.ROOT);
        if (!SKIPPED.contains(n) && !Validators.CLIENT_CONDITIONS.contains(n)) {
          ur.header(h.getKey(), h.getValue());
        }
      }
      String etag = stored.head().header("etag");
      if (etag != null) {
        ur.header("If-None-Match", Validators.quoted(etag.trim()));
      }
      String lm = stored.head().header("last-modified");
      if (lm != null) {
        ur.header("If-Modified-Since", lm);
      }
    } catch (IllegalArgumentException e) {
      zone.revalidationDone(key);
      return;
    }
    boolean authorized = ex.clientRequest().headers().contains("authorization");
    var requestHeaders = config.keys().view(ex.clientRequest().headers());
    long requestTime = clock.getAsLong();
    ex.upstream().send(ur).onComplete(ar -> {
      try {
        if (ar.succeeded()) {
          apply(key, stored, ar.result(), requestTime, req, authorized, requestHeaders);
        }
      } finally {
        zone.revalidationDone(key);
      }
    });
  }

  private void apply(String key, StoredResponse stored, UpstreamResponse r, long requestTime, RequestDirectives req,
      boolean authorized, io.frontdesk.api.http.HeaderFields requestHeaders) {
    long now = clock.getAsLong();
    int status = r.status();
    if (status == 304) {
      zone.replace(key, stored, stored.withHead(stored.head().freshen(r.headers(), requestTime, now,
          config.heuristic())));
      zone.stats().revalidated();
      return;
    }
    CacheControl cc = CacheControl.parse(r.headers().getAll("cache-control"));
    VaryKey vary = VaryKey.fieldsOf(r.headers().getAll("vary")).plus(config.keys().fields());
    if (!vary.star() && StorabilityRules.check(status, req.noStore(), cc, authorized,
        r.headers().contains("expires")).storable()) {
      StoredHead head = StoredHead.capture(status, r.headers(), requestTime, now, vary.of(requestHeaders),
          config.heuristic());
      byte[] body = r.body().getBytes();
      zone.store(key, new StoredResponse(head, body.length == 0 ? Body.InMemory.EMPTY : new Body.InMemory(body)));
    } else if (!StaleIfError.isError(status)) {
      zone.remove(key, stored);
    }
  }
}
