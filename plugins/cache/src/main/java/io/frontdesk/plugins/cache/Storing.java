package io.frontdesk.plugins.cache;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.http.ResponseHead;
import java.util.function.LongSupplier;

/**
 * Decides whether a response from the origin is stored and, when it is, copies its body into the
 * store as it streams to the client.
 */
final class Storing {

  private final CacheConfig config;
  private final Zone zone;
  private final LongSupplier clock;

  Storing(CacheConfig config, Zone zone, LongSupplier clock) {
    this.config = config;
    this.zone = zone;
    this.clock = clock;
  }

  /** Stores the response of {@code ex} if the rules allow; marks the Cache-Status {@code stored}. */
  void offer(Exchange ex, ExchangeState st, long now) {
    ResponseHead resp = ex.response();
    CacheControl cc = CacheControl.parse(resp.headers().getAll("cache-control"));
    StorabilityRules.Verdict v = StorabilityRules.check(resp.status(), st.directives.noStore(), cc,
        ex.clientRequest().headers().contains("authorization"), resp.headers().contains("expires"));
    if (!v.storable()) {
      st.status.detail(v.reason());
      return;
    }
    VaryKey vary = VaryKey.fieldsOf(resp.headers().getAll("vary"));
    if (vary.star()) {
      st.status.detail("Vary: *");
      return;
    }
    long length = contentLength(resp.headers().get("content-length"));
    if (length > config.maxObjectBytes()) {
      st.status.detail("larger than maxObjectBytes");
      return;
    }
    StoredHead head = StoredHead.capture(resp.status(), resp.headers(), st.requestTime, now,
        vary.of(ex.clientRequest().headers()), config.heuristic());
    String key = st.key;
    ex.transformResponseBody(new StoreTee(head, length, config.maxObjectBytes(),
        r -> zone.store(key, r, config.maxVariants()), () -> { }));
    st.status.stored(true);
  }

  static long contentLength(String v) {
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
