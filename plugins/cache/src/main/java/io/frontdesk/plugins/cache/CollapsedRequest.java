package io.frontdesk.plugins.cache;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.http.ClientRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * A request that waits on another request's fetch of the same URL instead of going to the origin
 * itself (RFC 9111 4, collapsed requests). It is answered as the response streams into the store
 * when that response is storable, matches its {@code Vary} fields and has a known length within
 * the largest object; once stored whole otherwise. When the fetch turns out unstorable or fails,
 * or the wait passes its bound, it goes to the origin itself.
 */
final class CollapsedRequest {

  private final Exchange ex;
  private final ExchangeState st;
  private final Fill fill;
  private final CacheConfig config;
  private final ZoneStats stats;
  private final LongSupplier clock;
  private final DiskTier disk;
  private final Context context;
  private final Promise<FilterResult> promise;
  private final Runnable listener;
  private boolean decided;
  private long timer = -1;

  CollapsedRequest(Exchange ex, ExchangeState st, Fill fill, CacheConfig config, ZoneStats stats,
      LongSupplier clock, DiskTier disk) {
    this.disk = disk;
    this.ex = ex;
    this.st = st;
    this.fill = fill;
    this.config = config;
    this.stats = stats;
    this.clock = clock;
    this.context = Vertx.currentContext() != null ? Vertx.currentContext() : ex.vertx().getOrCreateContext();
    this.promise = Promise.promise();
    this.listener = () -> context.runOnContext(v -> check());
  }

  /** @return the filter's answer: the collapsed response, or proceed to the origin */
  Future<FilterResult> start() {
    fill.listen(listener);
    timer = ex.vertx().setTimer(config.collapseTimeoutMillis(), t -> context.runOnContext(v -> {
      if (!decided) {
        proceed("collapse wait timed out");
      }
    }));
    check();
    return promise.future();
  }

  private void check() {
    if (decided) {
      return;
    }
    ClientRequest cr = ex.clientRequest();
    switch (fill.state()) {
      case WAITING -> {
      }
      case STREAMING -> {
        StoredHead h = fill.storedHead();
        long length = fill.expectedLength();
        if (!h.vary().matches(config.keys().view(cr.headers()))) {
          proceed("collapsed response varies");
        } else if (length >= 0 && length <= config.memoryObjectBytes()) {
          answer(streaming(h, length));
        } // else: unknown length; wait until it is stored whole
      }
      case DONE -> {
        StoredResponse r = fill.result();
        if (r == null || !r.head().vary().matches(config.keys().view(cr.headers()))) {
          proceed("collapsed response varies");
        } else {
          long now = clock.getAsLong();
          st.status.fwdStatus(r.head().status()).collapsed().ttl(r.head().ttlSeconds(now));
          decided = true; // the answer may take a disk read; nothing else decides meanwhile
          Answers.of(r, now, cr.method(), cr.headers(), st.status, "collapsed onto another request", disk, context)
              .onComplete(ar -> {
                decided = false;
                if (ar.succeeded()) {
                  answer(ar.result());
                } else {
                  proceed("collapsed response unreadable");
                }
              });
        }
      }
      default -> proceed("collapsed fetch not stored");
    }
  }

  private LocalResponse streaming(StoredHead h, long length) {
    long now = clock.getAsLong();
    st.status.fwdStatus(h.status()).collapsed().ttl(h.ttlSeconds(now));
    LocalResponse lr = LocalResponse.of(h.status(), "collapsed onto another request, streamed");
    String[] f = h.headers();
    for (int i = 0; i < f.length; i += 2) {
      lr.header(f[i], f[i + 1]);
    }
    lr.header("Age", AgeCalculator.header(h.age(now)));
    lr.header("Cache-Status", st.status.toString());
    if (ex.clientRequest().method().equals("HEAD") || h.status() == 204 || h.status() == 304) {
      return h.status() == 204 ? lr : lr.header("Content-Length", Long.toString(length));
    }
    return lr.body(new FillStream(fill, context), length);
  }

  private void answer(LocalResponse lr) {
    decide();
    stats.collapsed();
    ex.attributes().put(CacheFilter.STATUS, st.status.toString());
    promise.complete(FilterResult.respond(lr).result());
  }

  private void proceed(String why) {
    decide();
    st.status.detail(why);
    promise.complete(FilterResult.proceed().result());
  }

  private void decide() {
    decided = true;
    fill.unlisten(listener);
    if (timer >= 0) {
      ex.vertx().cancelTimer(timer);
    }
  }
}
