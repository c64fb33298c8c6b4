package io.frontdesk.proxy;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.RetryPolicy;
import io.frontdesk.proxy.RetryDecision.Failure;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.frontdesk.upstream.Outcome;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to a route's upstream, over as many {@link UpstreamAttempt}s as the retry rules
 * allow: picks each target with the upstream's balancer among the candidates not tried yet, keeps
 * what was sent while it fits the retry policy (so another target can get it again), and after each
 * failure asks {@link RetryDecision}. It knows nothing of the client: it reports to a
 * {@link Listener}, so the exchange — and later a filter's own request to the route's upstream —
 * can use it alike.
 */
final class UpstreamCall {

  private static final Logger log = LoggerFactory.getLogger(UpstreamCall.class);

  /** What the call tells whoever sent the request. */
  interface Listener {
    /** @return what the balancer may read of the request (asked only when it has a choice) */
    BalancerContext balancerContext();

    /** Frame {@code head} for the body really sent; @return whether a body follows the head. */
    boolean frame(HttpRequest head);

    /** No connection yet: what the body sends must wait. */
    void connecting();

    /** An attempt wrote the head (and what it replays): send what waits, then flush. */
    void attached();

    /** @return whether the whole request has been handed to the call (or will be, from a backlog) */
    boolean requestComplete();

    /** The target's response head: not interim, not retried. */
    void responseHead(HttpResponse head);

    /** A chunk of the target's body; the last one ends it. */
    void responseContent(HttpContent c);

    /** The target switched protocols as asked; {@code upstream} is the listener's now. */
    void switched(HttpResponse r101, Channel upstream);

    /** The call failed and no retry is left: {@code what} names the target and the failure. */
    void failed(Failure kind, String what);

    /** No target can take the request: 503. */
    void noTarget(String why);

    /** A read batch from the target ended (a flush downstream is due). */
    void upstreamReadComplete();

    /** The target's connection can take more of the body again. */
    void upstreamWritable();
  }

  private final LoopResources loop;
  private final CompiledRoute route;
  private final HttpRequest request;
  /** The Host the client sent, kept when the route preserves it. */
  private final String hostHeader;
  /** The upgrade protocol asked for, or {@code null}. */
  private final String upgradeProtocol;
  private final ExchangeTrace trace;
  private final String requestId;
  private final Listener listener;
  private UpstreamAttempt attempt;
  private boolean started;
  private boolean headTaken;
  private List<CompiledTarget> tried;
  private int retries;
  private boolean staleRetryUsed;
  private ArrayDeque<HttpContent> replay;
  private int replayBytes;
  private boolean replayOverflow;
  private boolean bodySent;

  UpstreamCall(LoopResources loop, CompiledRoute route, HttpRequest request, String hostHeader,
      String upgradeProtocol, ExchangeTrace trace, String requestId, Listener listener) {
    this.loop = loop;
    this.route = route;
    this.request = request;
    this.hostHeader = hostHeader;
    this.upgradeProtocol = upgradeProtocol;
    this.trace = trace;
    this.requestId = requestId;
    this.listener = listener;
  }

  /** Picks a target among those not tried yet and connects to it. */
  void start() {
    CompiledUpstream up = route.upstream();
    List<UpstreamTarget> candidates = up.candidates(tried);
    if (candidates.isEmpty()) {
      listener.noTarget(tried == null ? "every target of upstream '" + up.config().name()
          + "' is at its connection limit" : "no other target of upstream '" + up.config().name() + "' left to try");
      return;
    }
    UpstreamTarget picked;
    try {
      picked = candidates.size() == 1 ? candidates.get(0)
          : up.balancer(loop.index()).select(candidates, listener.balancerContext());
    } catch (RuntimeException | LinkageError e) {
      log.warn("balancer '{}' of upstream '{}' failed; using the first candidate", up.config().algorithm(),
          up.config().name(), e);
      picked = candidates.get(0);
    }
    if (!(picked instanceof CompiledTarget) || !candidates.contains(picked)) {
      picked = candidates.get(0); // a balancer must pick one of the candidates
    }
    connect((CompiledTarget) picked);
  }

  private void connect(CompiledTarget t) {
    UpstreamAttempt a = new UpstreamAttempt(this, loop, t);
    attempt = a;
    a.connect(route.upstream().config().connectTimeoutMs());
    if (a == attempt && !a.attached() && !a.abandoned()) {
      listener.connecting();
    }
  }

  /** The attempt has its connection: the head goes out, then what a retry sends again. */
  void attached(UpstreamAttempt a) {
    started = true;
    CompiledTarget target = a.target();
    if (trace != null) {
      trace.upstream(route.upstream().config().name(), target.address(), retries);
    }
    HttpHeaders h = request.headers();
    if (!route.route().preserveHost() || hostHeader == null || hostHeader.isEmpty()) {
      h.set(HttpHeaderNames.HOST, target.hostHeader());
    } else {
      h.set(HttpHeaderNames.HOST, hostHeader);
    }
    boolean body = listener.frame(request);
    if (request.protocolVersion() != HttpVersion.HTTP_1_1) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    a.write(request);
    if (!body) {
      a.write(LastHttpContent.EMPTY_LAST_CONTENT); // ends the request for the encoder, sends nothing
    }
    if (replay != null) {
      for (HttpContent c : replay) {
        a.write(c.retainedDuplicate()); // a retry: what the previous target got, again
      }
    }
    listener.attached();
    if (a == attempt && a.attached()) {
      a.startReadTimeout(route.upstream().config().readTimeoutMs());
    }
  }

  /**
   * Sends a chunk of the request body (kept for a retry while it fits the policy).
   *
   * @return whether the target can take more now
   */
  boolean send(HttpContent c) {
    if (!attached()) {
      c.release();
      return true;
    }
    if (c.content().isReadable()) {
      bodySent = true;
    }
    keepForReplay(c);
    return attempt.write(c);
  }

  /** Keeps what was sent upstream, while small enough, so a retry can send it again. */
  private void keepForReplay(HttpContent c) {
    if (replayOverflow) {
      return;
    }
    RetryPolicy p = route.upstream().config().retries();
    int n = c.content().readableBytes();
    if (p.attempts() == 0 || replayBytes + n > p.maxBodyBytes()) {
      replayOverflow = true;
      releaseReplay();
      return;
    }
    if (replay == null) {
      replay = new ArrayDeque<>(2);
    }
    replayBytes += n;
    replay.add(c.retainedDuplicate());
  }

  void flush() {
    if (attached()) {
      attempt.flush();
    }
  }

  /** Flushes what was written since the last flush (the end of a client read batch). */
  void flushIfPending() {
    if (attached() && attempt.flushPending()) {
      attempt.flush();
    }
  }

  /** The client can take no more ({@code true}), or can again: reading the target follows. */
  void clientFull(boolean full) {
    holdReading(UpstreamConnection.BLOCK_CLIENT_BACKPRESSURE, full);
  }

  /** A response filter is deciding ({@code true}): the target's body waits. */
  void filtersDeciding(boolean deciding) {
    holdReading(UpstreamConnection.BLOCK_RESPONSE_FILTERS, deciding);
  }

  private void holdReading(int reason, boolean hold) {
    if (!attached()) {
      return;
    }
    if (hold) {
      attempt.blockRead(reason);
    } else {
      attempt.unblockRead(reason);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the attempt reports.

  boolean headTaken() {
    return headTaken;
  }

  void head(HttpResponse r) {
    headTaken = true;
    listener.responseHead(r);
  }

  void content(HttpContent c) {
    listener.responseContent(c);
  }

  void readComplete() {
    listener.upstreamReadComplete();
  }

  void writable() {
    listener.upstreamWritable();
  }

  /** A 101: the tunnel opens when it names the protocol asked for (and, for WebSocket, the right key). */
  void switched(UpstreamAttempt a, HttpResponse r) {
    String refused = upgradeProtocol != null ? WebSocketAccept.checkSwitch(upgradeProtocol, request.headers(), r.headers())
        : "switched protocols though no upgrade was asked for";
    if (refused != null) {
      attemptFailed(a, Failure.BAD_RESPONSE, new IOException(refused), false);
      return;
    }
    listener.switched(r, a.handOver());
  }

  /** @return whether a 502, 503 or 504 from the target is retried (then the next attempt has started) */
  boolean retriesStatus(UpstreamAttempt a, int code) {
    if (!RetryDecision.afterStatus(code, facts(a.target(), false), route.upstream().config().retries(),
        this::takeRetryBudget)) {
      return false;
    }
    a.report(Outcome.HTTP_5XX, a.sinceStartNanos());
    a.abort();
    log.debug("request {}: upstream {} answered {}; retrying", requestId, a.target(), code);
    retryOn(a.target(), true);
    return true;
  }

  /**
   * An attempt failed: try again when {@link RetryDecision} allows, else tell the listener.
   *
   * @param reusedEarly a reused pooled connection closed before any response byte
   */
  void attemptFailed(UpstreamAttempt a, Failure kind, Throwable cause, boolean reusedEarly) {
    if (a != attempt) {
      return;
    }
    String what = switch (kind) {
      case CONNECT -> "connect failed: " + cause.getMessage();
      case CONNECT_TIMEOUT -> "connect timed out";
      case RESET -> "closed the connection before answering";
      case TIMEOUT -> "timed out waiting for the response";
      case BAD_RESPONSE -> "sent a malformed response (" + cause.getMessage() + ")";
      case POOL_TIMEOUT -> cause.getMessage();
    };
    boolean stale = kind == Failure.RESET && reusedEarly && !staleRetryUsed;
    // A pooled connection the target had closed while idle is not the target's fault.
    a.report(stale || kind == Failure.POOL_TIMEOUT ? Outcome.NEUTRAL : Outcome.GATEWAY_FAILURE, -1);
    a.abort();
    CompiledTarget failed = a.target();
    // Once a response head was taken, the target has acted on the request: never send it twice.
    RetryDecision.Verdict verdict = headTaken ? RetryDecision.Verdict.GIVE_UP
        : RetryDecision.afterFailure(kind, facts(failed, stale), route.upstream().config().retries(),
            this::takeRetryBudget);
    switch (verdict) {
      case RETRY_FRESH_CONNECTION -> {
        staleRetryUsed = true;
        log.debug("request {}: pooled connection to {} was stale; trying a fresh one", requestId, failed);
        retryOn(failed, false);
      }
      case RETRY_ANOTHER_TARGET -> {
        log.debug("request {}: upstream {} {}; retrying", requestId, failed, what);
        retryOn(failed, true);
      }
      case GIVE_UP -> listener.failed(kind, "upstream " + failed + " " + what);
    }
  }

  /** @param counted a retry from the policy's budget (else a fresh connection after a stale one) */
  private void retryOn(CompiledTarget failed, boolean counted) {
    if (counted) {
      retries++;
      if (tried == null) {
        tried = new ArrayList<>(2);
      }
      tried.add(failed);
    }
    if (trace != null) {
      trace.retry(failed.address(), counted ? "retry " + retries : "fresh connection");
    }
    if (counted) {
      start();
    } else {
      connect(failed); // the same target again, on a new connection
    }
  }

  private RetryDecision.Facts facts(CompiledTarget failed, boolean stale) {
    return new RetryDecision.Facts(idempotent(), replayable(), retries, hasAnotherCandidate(failed), stale,
        listener.requestComplete());
  }

  private boolean takeRetryBudget() {
    RetryPolicy p = route.upstream().config().retries();
    return route.upstream().state().tryRetry(p.budgetPercent(), p.minRetriesPerSecond());
  }

  /** Nothing was sent that could not be sent again. */
  private boolean replayable() {
    return upgradeProtocol == null && (!bodySent || !replayOverflow);
  }

  private boolean hasAnotherCandidate(CompiledTarget failed) {
    for (CompiledTarget t : route.upstream().targets()) {
      if (t != failed && t.hasCapacity() && (tried == null || !tried.contains(t))) {
        return true;
      }
    }
    return false;
  }

  private boolean idempotent() {
    HttpMethod m = request.method();
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
  }

  // ---------------------------------------------------------------------------------------------
  // Ends.

  /**
   * The response has ended: the connection goes back to the pool (or closes).
   *
   * @return whether a connection was still attached
   */
  boolean responseDone() {
    return attempt != null && attempt.responseDone(listener.requestComplete());
  }

  /** Closes the attempt's connection mid-request (nothing may reuse it); a connect under way is given back. */
  void abort() {
    if (attempt != null) {
      attempt.abort();
    }
  }

  /** The sender gave up (the client left, or its body was refused): not the target's fault. */
  void abandon() {
    if (attempt != null) {
      attempt.report(Outcome.NEUTRAL, -1);
      attempt.abort();
    }
  }

  /** The exchange has ended: the last attempt's outcome, and the replay copy is released. */
  void end() {
    if (attempt != null) {
      attempt.abort();
      attempt.reportFinal();
    }
    releaseReplay();
  }

  private void releaseReplay() {
    if (replay != null) {
      HttpContent c;
      while ((c = replay.poll()) != null) {
        c.release();
      }
      replay = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Facts for the exchange and its record.

  boolean attached() {
    return attempt != null && attempt.attached();
  }

  /** @return whether a head went to a target (the request can no longer change) */
  boolean started() {
    return started;
  }

  boolean reading() {
    return attempt != null && attempt.reading();
  }

  int retries() {
    return retries;
  }

  /** @return the target of the last attempt (the one that answered, or failed last), or {@code null} */
  CompiledTarget target() {
    return attempt == null ? null : attempt.target();
  }

  /** @return the last attempt's time from connection to the response's end, or -1 */
  long upstreamNanos() {
    return attempt == null ? -1 : attempt.latencyNanos();
  }
}
