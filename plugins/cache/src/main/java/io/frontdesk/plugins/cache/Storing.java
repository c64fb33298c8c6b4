package io.frontdesk.plugins.cache;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.http.ResponseHead;

/**
 * Decides whether a response from the origin is stored and, when it is, copies its body into the
 * store as it streams to the client — through the exchange's {@link Fill}, so requests collapsed
 * onto it are answered as it arrives.
 */
final class Storing {

  private final CacheConfig config;
  private final Zone zone;

  Storing(CacheConfig config, Zone zone) {
    this.config = config;
    this.zone = zone;
  }

  /** Stores the response of {@code ex} if the rules allow; marks the Cache-Status {@code stored}. */
  void offer(Exchange ex, ExchangeState st, long now) {
    ResponseHead resp = ex.response();
    String reason = refusal(ex, st);
    if (reason != null) {
      st.status.detail(reason);
      if (st.fill != null) {
        st.fill.fail();
        zone.markUncacheable(st.key);
      }
      return;
    }
    VaryKey vary = VaryKey.fieldsOf(resp.headers().getAll("vary")).plus(config.keys().fields());
    StoredHead head = StoredHead.capture(resp.status(), resp.headers(), st.requestTime, now,
        vary.of(config.keys().view(ex.clientRequest().headers())), config.heuristic());
    Fill fill = st.fill != null ? st.fill : zone.newFill(st.key);
    fill.head(head, contentLength(resp.headers().get("content-length")));
    ex.transformResponseBody(new StoreTee(fill, config.maxObjectBytes()));
    st.status.stored(true);
  }

  /** @return why the response is not stored, or {@code null} */
  private String refusal(Exchange ex, ExchangeState st) {
    ResponseHead resp = ex.response();
    CacheControl cc = CacheControl.parse(resp.headers().getAll("cache-control"));
    StorabilityRules.Verdict v = StorabilityRules.check(resp.status(), st.directives.noStore(), cc,
        ex.clientRequest().headers().contains("authorization"), resp.headers().contains("expires"));
    if (!v.storable()) {
      return v.reason();
    }
    if (VaryKey.fieldsOf(resp.headers().getAll("vary")).star()) {
      return "Vary: *";
    }
    if (contentLength(resp.headers().get("content-length")) > config.maxObjectBytes()) {
      return "larger than maxObjectBytes";
    }
    return null;
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
