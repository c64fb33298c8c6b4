package io.frontdesk.proxy;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.pluginhost.BoundFilter;
import io.frontdesk.pluginhost.FilterChain;
import io.frontdesk.pluginhost.FilterMethods;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one exchange's filter chain: forward in the request phase, backward in the response phase
 * over the filters that passed, one loop for both (local answers included). A filter that answers
 * with a pending future is waited for without holding the loop, bounded by its timeout. What each
 * filter decided and how long it took is kept for the access log, the tracer and the plugin stats.
 * The runner reports to its exchange through {@link Events}; it never touches connections. A pending
 * filter's deadline is watched by the loop's sweeper.
 */
final class ChainRunner extends LoopSweeper.Watched {

  private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

  /** What the runner tells its exchange. */
  interface Events {
    /** @return whether the exchange has ended (the runner then stops) */
    boolean ended();

    /** Every filter of the phase passed. */
    void phasePassed(boolean requestPhase);

    /** Request phase: answer with {@code response} (a filter's answer, its failure as 500, or 503). */
    void answer(LocalResponse response, String why);

    /** Response phase: a filter replaced the response (or failed: a 500); earlier filters still run. */
    void replaceResponse(LocalResponse response, String why);

    /** A filter is deciding asynchronously: stop reading the side that feeds this phase. */
    void waiting(boolean requestPhase);

    /** The asynchronous decision arrived (or timed out). */
    void resumed(boolean requestPhase);

    /** @return attributes for the tracer, or {@code null} */
    AttributeMap attributesForTrace();
  }

  private final FilterChain chain;
  private final Exchange exchange;
  private final Events events;
  private final LoopResources loop;
  private final ExchangeTrace trace;
  private final String requestId;
  private final long[] requestNanos;
  private final long[] responseNanos;
  private final String[] outcomes;
  private int passed;
  /** The filter being called now (its transformers run under its stall guard), or {@code null}. */
  private BoundFilter calling;
  private int asyncToken;
  private long deadlineNanos;
  /** The waited-for filter's timeout: its deadline moves while the body it reads arrives. */
  private long awaitTimeoutNanos;
  private Runnable onDeadline;

  ChainRunner(FilterChain chain, Exchange exchange, Events events, LoopResources loop, ExchangeTrace trace,
      String requestId) {
    this.chain = chain;
    this.exchange = exchange;
    this.events = events;
    this.loop = loop;
    this.trace = trace;
    this.requestId = requestId;
    int n = chain.size();
    requestNanos = new long[n];
    responseNanos = new long[n];
    outcomes = new String[n];
  }

  void startRequestPhase() {
    run(0, true);
  }

  /** Runs the response phase over the filters that passed the request phase, last first. */
  void startResponsePhase() {
    run(passed - 1, false);
  }

  private void run(int from, boolean requestPhase) {
    ContextInternal ctx = loop.context();
    ContextInternal prev = ctx.beginDispatch(); // once for the run, not per filter
    try {
      long t0 = System.nanoTime();
      int step = requestPhase ? 1 : -1;
      for (int i = from; requestPhase ? i < chain.size() : i >= 0; i += step) {
        if (events.ended()) {
          return;
        }
        BoundFilter f = chain.get(i);
        if (!f.available()) {
          if (!requestPhase) {
            continue;
          }
          if (f.failOpen()) {
            outcomes[i] = "skipped";
            continue;
          }
          outcomes[i] = "unavailable";
          String why = "plugin '" + f.pluginId() + "' is unavailable: " + f.unavailableReason();
          events.answer(LocalResponse.of(503, why), why);
          return;
        }
        Future<FilterResult> result = invoke(f, requestPhase);
        if (!result.isComplete()) {
          await(i, f, result, t0, requestPhase);
          return;
        }
        long t1 = System.nanoTime();
        addTime(i, requestPhase, t1 - t0);
        t0 = t1;
        if (!decided(i, f, result, requestPhase)) {
          return;
        }
      }
    } finally {
      ctx.endDispatch(prev);
    }
    if (!events.ended()) {
      events.phasePassed(requestPhase);
    }
  }

  private void addTime(int i, boolean requestPhase, long nanos) {
    if (requestPhase) {
      requestNanos[i] += nanos;
    } else {
      responseNanos[i] += nanos;
    }
  }

  private Future<FilterResult> invoke(BoundFilter f, boolean requestPhase) {
    if (trace != null) {
      trace.filterStarts(events.attributesForTrace());
    }
    if (!requestPhase && !FilterMethods.of(f.filter()).onResponse()) {
      return FilterResult.proceed(); // Filter's default: nothing to call or watch
    }
    var watched = f.enter(); // the stall watchdog sees which filter holds this loop
    calling = f;
    try {
      Future<FilterResult> r = requestPhase ? f.filter().onRequest(exchange) : f.filter().onResponse(exchange);
      return r == null ? FilterResult.proceed() : r;
    } catch (RuntimeException | LinkageError e) {
      return Future.failedFuture(e);
    } finally {
      calling = null;
      watched.exit();
    }
  }

  /** @return whether the phase goes on after filter {@code i} */
  private boolean decided(int i, BoundFilter f, Future<FilterResult> result, boolean requestPhase) {
    String phase = requestPhase ? "request" : "response";
    long nanos = requestPhase ? requestNanos[i] : responseNanos[i];
    if (result.failed()) {
      return failed(i, f, result.cause(), requestPhase, nanos);
    }
    FilterResult r = result.result();
    boolean proceeds = r == null || r.proceeds();
    if (trace != null) {
      trace.filter(f.pluginId(), phase, proceeds ? "continue"
          : "respond " + r.response().status() + ": " + r.response().details(), nanos, events.attributesForTrace());
    }
    if (requestPhase) {
      if (proceeds) {
        outcomes[i] = "continue";
        passed = i + 1;
        return true;
      }
      outcomes[i] = "respond " + r.response().status();
      events.answer(r.response(), "plugin '" + f.pluginId() + "': " + r.response().details());
      return false;
    }
    if (!proceeds) {
      outcomes[i] = outcomes[i] + ", replaced response with " + r.response().status();
      events.replaceResponse(r.response(), "plugin '" + f.pluginId() + "' replaced the response: "
          + r.response().details());
    }
    return true;
  }

  /** @return whether the phase goes on (only when the binding is fail-open, or in the response phase) */
  private boolean failed(int i, BoundFilter f, Throwable cause, boolean requestPhase, long nanos) {
    String phase = requestPhase ? "request" : "response";
    f.stats().failed();
    log.warn("plugin '{}' failed in the {} phase of request {}: {}", f.pluginId(), phase, requestId,
        String.valueOf(cause), cause);
    if (trace != null) {
      trace.filter(f.pluginId(), phase, "error: " + cause, nanos, events.attributesForTrace());
    }
    if (f.failOpen()) {
      outcomes[i] = "error (skipped)";
      if (requestPhase) {
        passed = i + 1;
      }
      return true;
    }
    outcomes[i] = "error";
    if (requestPhase) {
      String why = "plugin '" + f.pluginId() + "' failed: " + cause;
      events.answer(LocalResponse.of(500, why), why);
      return false;
    }
    String why = "plugin '" + f.pluginId() + "' failed in the response phase: " + cause;
    events.replaceResponse(LocalResponse.of(500, why), why);
    return true;
  }

  /** A filter answered with a pending future: wait (bounded) without holding the loop. */
  private void await(int i, BoundFilter f, Future<FilterResult> result, long t0, boolean requestPhase) {
    int token = ++asyncToken;
    if (requestPhase) {
      // called, not yet decided: should the exchange end meanwhile, complete() still calls its
      // onComplete, so a filter that took something (an in-flight slot) gives it back
      outcomes[i] = "waiting";
    }
    events.waiting(requestPhase);
    awaitTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(f.timeoutMillis());
    deadlineNanos = System.nanoTime() + awaitTimeoutNanos;
    onDeadline = () -> {
      if (token != asyncToken || events.ended()) {
        return;
      }
      asyncToken++;
      f.stats().timedOut();
      resume(i, f, Future.failedFuture(new TimeoutException("no answer within " + f.timeoutMillis() + " ms")), t0,
          requestPhase);
    };
    loop.sweeper().watchExchange(this);
    result.onComplete(ar -> {
      if (loop.loop().inEventLoop()) {
        answered(token, i, f, result, t0, requestPhase);
      } else {
        loop.loop().execute(() -> answered(token, i, f, result, t0, requestPhase));
      }
    });
  }

  private void answered(int token, int i, BoundFilter f, Future<FilterResult> result, long t0, boolean requestPhase) {
    if (token != asyncToken || events.ended()) {
      return; // timed out already, or the client left
    }
    asyncToken++;
    deadlineNanos = 0;
    onDeadline = null;
    resume(i, f, result, t0, requestPhase);
  }

  private void resume(int i, BoundFilter f, Future<FilterResult> result, long t0, boolean requestPhase) {
    addTime(i, requestPhase, System.nanoTime() - t0);
    events.resumed(requestPhase);
    if (decided(i, f, result, requestPhase)) {
      run(requestPhase ? i + 1 : i - 1, requestPhase);
    }
  }

  /** The body a waiting filter reads is arriving: its deadline counts from now (a slow upload is no stall). */
  void bodyProgress() {
    if (deadlineNanos != 0) {
      deadlineNanos = System.nanoTime() + awaitTimeoutNanos;
    }
  }

  /** @return the filter whose call is running now, or {@code null} */
  BoundFilter calling() {
    return calling;
  }

  /** The loop's sweeper: a waiting filter past its deadline counts as failed. */
  @Override
  void sweep(long now) {
    if (deadlineNanos == 0 || events.ended()) {
      LoopSweeper.unwatch(this);
    } else if (now >= deadlineNanos) {
      Runnable r = onDeadline;
      deadlineNanos = 0;
      onDeadline = null;
      LoopSweeper.unwatch(this);
      if (r != null) {
        r.run();
      }
    }
  }

  /** The exchange has ended: stop waiting, count each filter that ran, and call its onComplete. */
  void complete() {
    LoopSweeper.unwatch(this);
    deadlineNanos = 0;
    onDeadline = null;
    asyncToken++;
    for (int i = 0; i < chain.size(); i++) {
      BoundFilter f = chain.get(i);
      if (outcomes[i] == null || f.filter() == null) {
        continue; // never called (a filter tripped meanwhile still gets its onComplete)
      }
      f.stats().called(requestNanos[i] + responseNanos[i]);
      if (!FilterMethods.of(f.filter()).onComplete()) {
        continue;
      }
      var watched = f.enter();
      try {
        f.filter().onComplete(exchange);
      } catch (RuntimeException | LinkageError e) {
        log.warn("plugin '{}' failed in onComplete", f.pluginId(), e);
      } finally {
        watched.exit();
      }
    }
  }

  /** @return each filter's time and decision, for the access log */
  List<FilterTiming> timings() {
    List<FilterTiming> timings = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      timings.add(new FilterTiming(chain.get(i).pluginId(), requestNanos[i] / 1000, responseNanos[i] / 1000,
          outcomes[i] == null ? "not run" : outcomes[i]));
    }
    return timings;
  }
}
