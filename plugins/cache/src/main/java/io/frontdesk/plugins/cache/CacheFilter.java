package io.frontdesk.plugins.cache;

import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.ResponseHead;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * The cache around one binding's exchanges. Request phase: a GET or HEAD is looked up and answered
 * from the store when the rules allow, or sent on (conditional when a stored response needs
 * validating); other methods go on and, when unsafe, invalidate on success. Response phase: a 304
 * freshens the validated response and the client gets that; an origin failure may be answered by a
 * stale response; a storable response is stored as it streams to the client. Every answer carries
 * this cache's {@code Cache-Status}, also kept as the access-log attribute {@code cache.status}.
 */
final class CacheFilter implements Filter {

  /** The Cache-Status member of this cache, for the access log and the tracer. */
  static final AttributeKey<String> STATUS = AttributeKey.of("cache.status", String.class);
  private static final AttributeKey<ExchangeState> STATE = AttributeKey.internal("cache.state", ExchangeState.class);

  private final CacheConfig config;
  private final Zone zone;
  private final CacheKeys keys;
  private final LongSupplier clock;
  private final Runnable onClose;
  private final BackgroundRevalidation background;
  private final Storing storing;

  CacheFilter(CacheConfig config, Zone zone, LongSupplier clock, Runnable onClose) {
    this.config = config;
    this.zone = zone;
    this.keys = config.keys();
    this.clock = clock;
    this.onClose = onClose;
    this.background = new BackgroundRevalidation(config, zone, clock);
    this.storing = new Storing(config, zone);
  }

  @Override
  public Future<FilterResult> onRequest(Exchange ex) {
    if (ex.isUpgrade()) {
      return FilterResult.proceed();
    }
    long now = clock.getAsLong();
    ClientRequest cr = ex.clientRequest();
    String method = cr.method();
    CacheStatus cs = new CacheStatus(config.cacheName());
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      ExchangeState st = new ExchangeState(cs.fwd(CacheStatus.Fwd.METHOD), now, keys.of(cr), RequestDirectives.NONE);
      st.invalidate = !Invalidation.safe(method);
      ex.attributes().put(STATE, st);
      return FilterResult.proceed();
    }
    String key = keys.of(cr);
    String bypass = config.bypass().reason(cr);
    if (bypass != null) {
      ex.attributes().put(STATE, new ExchangeState(cs.fwd(CacheStatus.Fwd.BYPASS).detail(bypass), now, key,
          RequestDirectives.NONE));
      return FilterResult.proceed();
    }
    RequestDirectives req = RequestDirectives.of(cr.headers());
    ExchangeState st = new ExchangeState(cs, now, key, req);
    st.storeAllowed = !head && !req.noStore();
    ex.attributes().put(STATE, st);
    Lookup.Decision d = Lookup.decide(zone.get(key), keys.view(cr.headers()), req, now);
    switch (d.action()) {
      case HIT -> {
        return hit(ex, st, d.entry(), now, d.detail());
      }
      case HIT_AND_REVALIDATE -> {
        background.start(ex, key, d.entry(), req);
        return hit(ex, st, d.entry(), now, d.detail());
      }
      case GATEWAY_TIMEOUT -> {
        cs.none().detail("only-if-cached");
        ex.attributes().put(STATUS, cs.toString());
        return FilterResult.respond(Answers.gatewayTimeout(cs));
      }
      case VALIDATE -> {
        cs.fwd(d.fwd());
        st.validating = d.entry();
        st.fallback = d.entry();
        Validators.apply(ex.request().headers(), d.entry().head());
      }
      default -> {
        cs.fwd(d.fwd());
        st.fallback = d.entry();
        if (d.detail() != null) {
          cs.detail(d.detail());
        }
        zone.stats().miss();
        return collapseOrLead(ex, st, cr);
      }
    }
    if (d.detail() != null) {
      cs.detail(d.detail());
    }
    zone.stats().miss();
    return FilterResult.proceed();
  }

  /** A miss waits on a fetch of the same URL under way, or leads one that others may wait on. */
  private Future<FilterResult> collapseOrLead(Exchange ex, ExchangeState st, ClientRequest cr) {
    if (!config.collapse() || !plain(cr) || zone.uncacheable(st.key)) {
      return FilterResult.proceed();
    }
    Fill running = zone.fill(st.key);
    if (running == null && st.storeAllowed) {
      st.fill = zone.startFill(st.key);
      if (st.fill != null) {
        return FilterResult.proceed();
      }
      running = zone.fill(st.key);
    }
    if (running == null) {
      return FilterResult.proceed();
    }
    return new CollapsedRequest(ex, st, running, config, zone.stats(), clock, zone.disk()).start();
  }

  /** @return whether the request may share another's response: no preconditions, no range */
  private static boolean plain(ClientRequest cr) {
    for (String f : Validators.CLIENT_CONDITIONS) {
      if (cr.headers().contains(f)) {
        return false;
      }
    }
    return true;
  }

  private Future<FilterResult> hit(Exchange ex, ExchangeState st, StoredResponse r, long now, String detail) {
    CacheStatus cs = st.status.hit().ttl(r.head().ttlSeconds(now));
    if (detail != null) {
      cs.detail(detail);
    }
    ClientRequest cr = ex.clientRequest();
    return answer(ex, r, now, cs, detail == null ? "cache hit" : "cache hit (" + detail + ")").compose(lr -> {
      zone.stats().hit();
      ex.attributes().put(STATUS, cs.toString());
      return FilterResult.respond(lr);
    }, e -> {
      // its body on disk does not check out: dropped, and the request goes to the origin as a miss
      zone.remove(st.key, r);
      cs.fwd(CacheStatus.Fwd.URI_MISS).ttl(Long.MIN_VALUE).detail("stored body unreadable");
      zone.stats().miss();
      return FilterResult.proceed();
    });
  }

  /** @return the answer made from a stored response for this exchange's client */
  Future<LocalResponse> answer(Exchange ex, StoredResponse r, long now, CacheStatus cs, String details) {
    ClientRequest cr = ex.clientRequest();
    io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
    return Answers.of(r, now, cr.method(), cr.headers(), cs, details, zone.disk(),
        ctx != null ? ctx : ex.vertx().getOrCreateContext());
  }

  @Override
  public Future<FilterResult> onResponse(Exchange ex) {
    ExchangeState st = ex.attributes().get(STATE);
    if (st == null) {
      return FilterResult.proceed();
    }
    ResponseHead resp = ex.response();
    int status = resp.status();
    long now = clock.getAsLong();
    CacheStatus cs = st.status;
    if (resp.fromUpstream()) {
      cs.fwdStatus(status);
    }
    if (st.fill != null && st.fill.state() == Fill.State.WAITING
        && !(st.storeAllowed && resp.fromUpstream() && status != 304)) {
      st.fill.fail(); // this answer will not be stored: whoever waits goes to the origin
    }
    if (st.invalidate) {
      if (resp.fromUpstream() && Invalidation.invalidates(status)) {
        for (String k : Invalidation.keys(ex.clientRequest(), resp.headers(), keys)) {
          zone.invalidate(k);
        }
        if (Invalidation.reusablePostResponse(ex.clientRequest(), status, resp.headers())) {
          storing.offer(ex, st, now); // RFC 9110 9.3.3: it answers later GETs of its URI
        }
      }
      return publish(ex, cs);
    }
    if (st.validating != null && status == 304 && resp.fromUpstream()) {
      return validated(ex, st, now);
    }
    if (st.fallback != null && StaleIfError.isError(status)
        && StaleIfError.allowed(st.fallback.head(), st.directives, config.staleIfErrorSeconds(), now)) {
      cs.ttl(st.fallback.head().ttlSeconds(now)).detail("stale-if-error");
      Future<FilterResult> stale = answer(ex, st.fallback, now, cs, "stale response for an upstream " + status)
          .compose(lr -> {
            zone.stats().servedStale();
            ex.attributes().put(STATUS, cs.toString());
            return FilterResult.respond(lr);
          }, e -> {
            zone.remove(st.key, st.fallback);
            return publish(ex, cs.ttl(Long.MIN_VALUE).detail("stale response unreadable"));
          });
      return stale;
    }
    if (st.storeAllowed && resp.fromUpstream()) {
      storing.offer(ex, st, now);
    } else if (st.fill != null) {
      st.fill.fail();
    }
    return publish(ex, cs);
  }

  /** The origin confirmed the stored response: freshen it and answer with it. */
  private Future<FilterResult> validated(Exchange ex, ExchangeState st, long now) {
    StoredResponse old = st.validating;
    CacheStatus cs = st.status;
    String newTag = ex.response().headers().get("etag");
    String oldTag = old.head().header("etag");
    if (newTag != null && oldTag != null && !Validators.quoted(newTag.trim()).equals(Validators.quoted(oldTag.trim()))) {
      // RFC 9111 4.3.4: a 304 with another strong validator does not select this response
      zone.remove(st.key, old);
      cs.detail("304 for another representation");
      return publish(ex, cs);
    }
    StoredResponse updated = old.withHead(old.head().freshen(ex.response().headers(), st.requestTime, now,
        config.heuristic()));
    zone.replace(st.key, old, updated);
    zone.stats().revalidated();
    cs.ttl(updated.head().ttlSeconds(now));
    ex.attributes().put(STATUS, cs.toString());
    return answer(ex, updated, now, cs, "validated with the origin (304)").compose(FilterResult::respond, e -> {
      zone.remove(st.key, updated);
      return FilterResult.respond(LocalResponse.of(502, "the validated stored body is unreadable")
          .header("Cache-Status", cs.detail("stored body unreadable").toString()));
    });
  }

  private static Future<FilterResult> publish(Exchange ex, CacheStatus cs) {
    String v = cs.toString();
    ex.attributes().put(STATUS, v);
    ex.response().headers().add("Cache-Status", v);
    return FilterResult.proceed();
  }

  @Override
  public void onComplete(Exchange ex) {
    ExchangeState st = ex.attributes().get(STATE);
    if (st != null && st.fill != null) {
      st.fill.failUnlessEnded(); // the exchange ended before its response's body did
    }
  }

  @Override
  public void close() {
    onClose.run();
  }
}
