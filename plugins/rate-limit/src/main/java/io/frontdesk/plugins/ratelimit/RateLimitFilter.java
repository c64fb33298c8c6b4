package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.http.Headers;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * One binding's limits around each exchange: asks the store whether the request fits, then lets
 * it pass, delays it to its turn, or answers 429 with Retry-After and the RateLimit headers. In
 * dry-run mode it only counts and logs what it would have refused.
 */
final class RateLimitFilter implements Filter {

  /** Shown in the access log and the tracer: {@code limited client-ip 5/s}, {@code delayed 120 ms}, … */
  static final AttributeKey<String> OUTCOME = AttributeKey.of("rate-limit.outcome", String.class);
  /** The key of the limit that refused (or would have refused) the request. */
  static final AttributeKey<String> KEY = AttributeKey.of("rate-limit.key", String.class);

  private final RateLimitConfig config;
  private final LimitStore store;
  private final InFlight[] inFlight;
  private final BindingCounters counters;
  private final StoreFailureLog failureLog;
  private final CounterSummary summary;
  /** This binding's own key (keys compare by identity): two bindings on one route keep apart. */
  private final AttributeKey<Ticket> ticketKey = AttributeKey.internal("rate-limit.ticket", Ticket.class);

  RateLimitFilter(RateLimitConfig config, LimitStore store, BindingCounters counters, StoreFailureLog failureLog,
      CounterSummary summary) {
    this.config = config;
    this.store = store;
    this.counters = counters;
    this.failureLog = failureLog;
    this.summary = summary;
    this.inFlight = new InFlight[config.concurrency().size()];
    for (int i = 0; i < inFlight.length; i++) {
      inFlight[i] = new InFlight(config.concurrency().get(i).max());
    }
  }

  /** What this filter decided for one exchange, for its response headers. */
  static final class Ticket {
    String[] keys;
    Outcome[] outcomes;
    /** The keys whose in-flight slot this exchange holds, per concurrency limit. */
    String[] held;
    /** Requests in flight per concurrency limit when this one was let in; -1 where none applied. */
    int[] inFlight;
    /** The exchange has ended: nothing is to be taken any more. */
    boolean completed;
  }

  @Override
  public Future<FilterResult> onRequest(Exchange ex) {
    summary.start();
    List<Limit> limits = config.limits();
    Ticket ticket = new Ticket();
    ex.attributes().put(ticketKey, ticket);
    if (limits.isEmpty()) {
      return afterRate(ex, ticket);
    }
    String[] keys = new String[limits.size()];
    boolean any = false;
    for (int i = 0; i < keys.length; i++) {
      keys[i] = limits.get(i).key().of(ex);
      any |= keys[i] != null;
    }
    ticket.keys = keys;
    if (!any) {
      return afterRate(ex, ticket);
    }
    Future<Outcome[]> decided = store.acquire(keys);
    if (decided.isComplete()) {
      return decide(ex, ticket, decided);
    }
    // Redis answers on its connection's thread: continue on the exchange's own loop.
    Context ctx = Vertx.currentContext();
    Thread loop = Thread.currentThread();
    Promise<FilterResult> result = Promise.promise();
    decided.onComplete(ar -> {
      if (Thread.currentThread() == loop || ctx == null) {
        decide(ex, ticket, ar).onComplete(result);
      } else {
        ctx.runOnContext(v -> decide(ex, ticket, ar).onComplete(result));
      }
    });
    return result.future();
  }

  private Future<FilterResult> decide(Exchange ex, Ticket ticket, AsyncResult<Outcome[]> decided) {
    if (decided.failed()) {
      counters.storeFailures.increment();
      failureLog.failed(decided.cause());
      if (config.redis() != null && !config.redis().failOpen()) {
        ex.attributes().put(OUTCOME, "refused: store unavailable");
        return FilterResult.respond(LocalResponse.of(503, "rate-limit store unavailable (failure: closed): "
            + StoreFailureLog.describe(decided.cause())));
      }
      ex.attributes().put(OUTCOME, "allowed: store unavailable");
      return afterRate(ex, ticket);
    }
    failureLog.succeeded();
    Outcome[] outcomes = decided.result();
    ticket.outcomes = outcomes;
    List<Limit> limits = config.limits();
    int refusedBy = -1;
    long retry = 0;
    long delay = 0;
    for (int i = 0; i < outcomes.length; i++) {
      Outcome o = outcomes[i];
      if (!o.allowed()) {
        if (refusedBy < 0) {
          refusedBy = i;
        }
        retry = Math.max(retry, o.retryMicros());
      } else if (o.applies()) {
        delay = Math.max(delay, limits.get(i).delayMicros(o.earlyMicros()));
      }
    }
    if (refusedBy >= 0) {
      String name = limits.get(refusedBy).name();
      ex.attributes().put(KEY, ticket.keys[refusedBy]);
      if (config.dryRun()) {
        counters.wouldLimit.increment();
        ex.attributes().put(OUTCOME, "would limit: " + name);
        return afterRate(ex, ticket);
      }
      counters.limited.increment();
      ex.attributes().put(OUTCOME, "limited: " + name);
      LocalResponse r = LocalResponse.of(config.status(), "rate limit '" + name + "' exceeded for "
          + ticket.keys[refusedBy]).header("Retry-After", Long.toString(Math.max(1, RateLimitHeaders.seconds(retry))));
      if (config.headers() != RateLimitConfig.HeaderMode.NONE) {
        RateLimitHeaders.Fields f = RateLimitHeaders.of(limits, outcomes, List.of(), null);
        r.header(RateLimitHeaders.POLICY, f.policy()).header(RateLimitHeaders.STATE, f.state());
      }
      return FilterResult.respond(r);
    }
    if (delay > 0 && !config.dryRun()) {
      long ms = (delay + 999) / 1000;
      counters.delayed.increment();
      ex.attributes().put(OUTCOME, "delayed " + ms + " ms");
      Promise<FilterResult> later = Promise.promise();
      ex.vertx().setTimer(ms, id -> afterRate(ex, ticket).onComplete(later));
      return later.future();
    }
    return afterRate(ex, ticket);
  }

  /** The rate limits let the request pass: now the requests in flight. */
  private Future<FilterResult> afterRate(Exchange ex, Ticket ticket) {
    List<ConcurrencyLimit> conc = config.concurrency();
    if (conc.isEmpty() || ticket.completed) {
      counters.allowed.increment();
      return FilterResult.proceed();
    }
    ticket.held = new String[conc.size()];
    ticket.inFlight = new int[conc.size()];
    for (int i = 0; i < conc.size(); i++) {
      ticket.inFlight[i] = -1;
      String key = conc.get(i).key().of(ex);
      if (key == null) {
        continue;
      }
      int n = inFlight[i].acquire(key);
      if (n > 0) {
        ticket.held[i] = key;
        ticket.inFlight[i] = n;
        continue;
      }
      ConcurrencyLimit c = conc.get(i);
      ex.attributes().put(KEY, key);
      if (config.dryRun()) {
        counters.wouldLimit.increment();
        ex.attributes().put(OUTCOME, "would limit: " + c.name());
        ticket.inFlight[i] = -n - 1;
        continue;
      }
      release(ticket);
      counters.concurrencyLimited.increment();
      ex.attributes().put(OUTCOME, "limited: " + c.name());
      LocalResponse r = LocalResponse.of(c.status(), "concurrency limit '" + c.name() + "' reached for " + key);
      if (config.headers() != RateLimitConfig.HeaderMode.NONE) {
        int[] counts = new int[conc.size()];
        java.util.Arrays.fill(counts, -1);
        counts[i] = -n - 1;
        RateLimitHeaders.Fields f = RateLimitHeaders.of(config.limits(), ticket.outcomes, conc, counts);
        r.header(RateLimitHeaders.POLICY, f.policy()).header(RateLimitHeaders.STATE, f.state());
      }
      return FilterResult.respond(r);
    }
    counters.allowed.increment();
    return FilterResult.proceed();
  }

  private void release(Ticket t) {
    if (t.held == null) {
      return;
    }
    for (int i = 0; i < t.held.length; i++) {
      if (t.held[i] != null) {
        inFlight[i].release(t.held[i]);
        t.held[i] = null;
      }
    }
  }

  /** The exchange is over (answered, failed or abandoned by the client): give back its slots. */
  @Override
  public void onComplete(Exchange ex) {
    Ticket t = ex.attributes().get(ticketKey);
    if (t != null) {
      t.completed = true;
      release(t);
    }
  }

  /** @return requests in flight under concurrency limit {@code i} for {@code key} (for tests) */
  int inFlight(int i, String key) {
    return inFlight[i].count(key);
  }

  @Override
  public Future<FilterResult> onResponse(Exchange ex) {
    if (config.headers() != RateLimitConfig.HeaderMode.ALL) {
      return FilterResult.proceed();
    }
    Ticket t = ex.attributes().get(ticketKey);
    if (t == null || (t.outcomes == null && t.inFlight == null)) {
      return FilterResult.proceed();
    }
    RateLimitHeaders.Fields f = RateLimitHeaders.of(config.limits(), t.outcomes, config.concurrency(), t.inFlight);
    if (f.policy() != null) {
      Headers h = ex.response().headers();
      // add, not set: a site's and a route's binding each name their own policies
      h.add(RateLimitHeaders.POLICY, f.policy());
      h.add(RateLimitHeaders.STATE, f.state());
    }
    return FilterResult.proceed();
  }

  @Override
  public void close() {
    summary.stop();
    store.close();
  }
}
