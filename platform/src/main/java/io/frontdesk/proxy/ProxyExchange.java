package io.frontdesk.proxy;

import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.filter.LocalResponseException;
import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.pluginhost.FilterChain;
import io.frontdesk.proxy.RequestIntake.Refusal;
import io.frontdesk.proxy.RetryDecision.Failure;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.routing.ConfigSnapshot;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request/response exchange, from request head to the last byte of the response: a small
 * state machine over its pieces, which report to it — the {@link Downstream} (the client's side),
 * the {@link RequestIntake} (the head's checks and facts), the {@link ChainRunner} (the filters),
 * the {@link UpstreamCall} (targets, attempts, retries), the {@link ResponseWriter} (framing and
 * bodies toward the client) and the {@link BodyPipeline} (transformers). It decides what happens
 * next and is the one place where failures become 4xx/5xx/499. Filters see it through a
 * {@link PluginExchange}; observers as an {@link ExchangeView}.
 *
 * <p>Everything runs on the client channel's event loop; the upstream connection comes from the
 * same loop's pool.
 */
final class ProxyExchange
    implements Downstream.Events, ChainRunner.Events, UpstreamCall.Listener, ResponseWriter.Events {

  private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

  private static final int ACTIVE = 0;
  private static final int DONE = 1;

  private final Downstream client;
  private final ProxyServer server;
  private final LoopResources loop;
  private final ConfigSnapshot snapshot;
  private final RequestIntake intake;
  private final ResponseWriter writer;
  private final ExchangeRecord record;
  private int state = ACTIVE;
  private CompiledRoute route;
  private ExchangeTrace trace;
  /** Walks the route's filters; {@code null} when the route has none. */
  private ChainRunner runner;
  /** The request's way upstream; {@code null} until the filters let it go. */
  private UpstreamCall call;
  /** The filters' body transformers; {@code null} until one is added. */
  private BodyPipeline pipeline;
  private BalancerView balancerView;
  private boolean responsePhase;
  private boolean tunnel;

  ProxyExchange(ClientConnection connection, ProxyServer server, LoopResources loop, ConfigSnapshot snapshot,
      HttpRequest request) {
    this.client = new Downstream(connection, this);
    this.server = server;
    this.loop = loop;
    this.snapshot = snapshot;
    this.intake = new RequestIntake(request, client.facts().http2());
    this.writer = new ResponseWriter(client, intake, loop.loop(), this);
    this.record = new ExchangeRecord(server, intake, client, writer);
  }

  // ---------------------------------------------------------------------------------------------
  // Request head: checks, routing, the filters.

  void start() {
    snapshot.enter();
    server.exchangeStarted();
    HttpRequest request = intake.request();
    HopByHop.Scan scan = HopByHop.scan(request.headers(), new HopByHop.Scan());
    Refusal refused = intake.check(scan, client.facts(), server.trustedProxies(), snapshot::hasFiltersFor);
    if (intake.framed()) {
      client.requestStarted(intake.hasBody(), intake.closeAfter());
    }
    if (refused != null) {
      refuse(refused);
      return;
    }
    RouteFinder.Found found = RouteFinder.find(snapshot, intake, server.maxRequestBodyBytes());
    route = found.route();
    if (found.refusal() != null) {
      refuse(found.refusal());
      return;
    }
    client.limitBody(intake.maxBodyBytes());
    intake.forwardPath(route.rule().forwardPath(intake.path()));
    trace = server.traceFor(route, intake.path(), request);
    record.routed(route, trace != null);
    writer.traceWith(trace);
    FilterChain chain = route.chain();
    if (chain.isEmpty()) {
      proceedToUpstream();
    } else {
      PluginExchange api = new PluginExchange(this, record, intake, client, writer, loop, server);
      runner = new ChainRunner(chain, api, this, loop, trace, intake.requestId());
      record.filtered(runner, api);
      runner.startRequestPhase();
    }
  }

  private void refuse(Refusal r) {
    if (r.close()) {
      client.closeAfter();
    }
    respondError(r.status(), r.why());
  }

  private void proceedToUpstream() {
    client.endReadAhead("the request went upstream before its body was read: wait on readRequestBody");
    call = new UpstreamCall(loop, route, intake.request(), intake.hostHeader(), intake.upgradeProtocol(), trace,
        intake.requestId(), this);
    record.forwarded(call);
    call.start();
  }

  Downstream downstream() {
    return client;
  }

  // ---------------------------------------------------------------------------------------------
  // What the downstream reports.

  @Override
  public boolean upstreamReady() {
    return call != null && call.attached();
  }

  @Override
  public void body(HttpContent c) {
    sendUpstream(c);
    if (c instanceof LastHttpContent) {
      call.flush();
    }
  }

  /**
   * The client's body turned out broken or too large: the upstream never sees it end (its
   * connection is closed mid-body), the client gets {@code code} and its connection closes.
   */
  @Override
  public void bodyRefused(int code, String why) {
    client.closeAfter();
    if (call != null) {
      call.abandon(); // the client's fault, not the target's
    }
    respondError(code, why); // (a response under way is cut off)
  }

  private void sendUpstream(HttpContent c) {
    HttpContent out = c;
    if (pipeline != null && pipeline.transformsRequest()) {
      try {
        out = pipeline.request(c);
      } catch (RuntimeException e) {
        call.abort();
        client.closeAfter();
        if (e instanceof LocalResponseException refusal) {
          respondLocal(refusal.response(), "request body refused: " + refusal.response().details());
        } else {
          respondError(500, "a request body transformer failed: " + e);
        }
        return;
      }
    }
    if (!call.send(out)) {
      client.upstreamFull();
    }
  }

  @Override
  public void readAheadProgress() {
    runner.bodyProgress(); // only filters read ahead
  }

  @Override
  public void readComplete() {
    if (call != null) {
      call.flushIfPending();
    }
  }

  @Override
  public void clientWritable() {
    if (call != null) {
      call.clientFull(false);
    }
    writer.clientWritable();
  }

  @Override
  public void clientClosed() {
    if (state == DONE) {
      return;
    }
    if (!writer.complete()) {
      record.status(499);
      record.appendDetails("client closed the connection");
    }
    if (call != null) {
      call.abandon();
    }
    finish();
  }

  // ---------------------------------------------------------------------------------------------
  // What the upstream call reports.

  @Override
  public BalancerContext balancerContext() {
    if (balancerView == null) {
      balancerView = new BalancerView(intake);
    }
    return balancerView;
  }

  @Override
  public boolean frame(HttpRequest head) {
    return intake.frameUpstream(head, pipeline != null && pipeline.transformsRequest());
  }

  @Override
  public void connecting() {
    if (state == ACTIVE && !client.requestComplete()) {
      client.holdBody();
    }
  }

  @Override
  public void attached() {
    if (intake.expectContinue() && !client.requestComplete()) {
      client.sendContinue();
    }
    if (intake.upgradeRequested()) {
      client.holdBody(); // nothing but the upstream's 101 may come first
    }
    HttpContent c;
    while (state == ACTIVE && call.attached() && (c = client.nextHeld()) != null) {
      sendUpstream(c);
    }
    if (!client.inRead()) {
      call.flush(); // else the client read in progress ends with one flush
    }
    if (state == ACTIVE && !intake.upgradeRequested()) {
      client.releaseBody();
    }
  }

  @Override
  public boolean requestComplete() {
    return client.requestComplete();
  }

  @Override
  public void responseHead(HttpResponse head) {
    record.status(head.status().code());
    writer.upstreamHead(head);
    beginResponsePhase();
  }

  @Override
  public void responseContent(HttpContent c) {
    if (state == DONE || tunnel) {
      c.release();
      return;
    }
    writer.upstreamContent(c);
  }

  /** After the target's 101 both connections become a byte tunnel. */
  @Override
  public void switched(HttpResponse r101, Channel upstream) {
    tunnel = true;
    record.status(101);
    writer.switchProtocols(r101);
    client.startTunnel(upstream, server.tunnelIdleTimeoutMillis(), () -> {
      writer.tunnelClosed();
      if (loop.loop().inEventLoop()) {
        finish();
      } else {
        loop.loop().execute(this::finish);
      }
    });
  }

  /** The one place an upstream failure becomes a client answer: 502 or 504 (or a cut-off response). */
  @Override
  public void failed(Failure kind, String what) {
    if (kind == Failure.BAD_RESPONSE && intake.upgradeRequested()) {
      client.closeAfter(); // a refused upgrade: the client may speak the new protocol already
    }
    int retries = call.retries();
    respondError(RetryDecision.status(kind), writer.headSent() ? what + " after the response started"
        : retries > 0 ? what + " (after " + retries + " retries)" : what);
  }

  @Override
  public void noTarget(String why) {
    respondError(503, why);
  }

  @Override
  public void upstreamReadComplete() {
    if (writer.headSent() && state == ACTIVE) {
      client.flush();
    }
  }

  @Override
  public void upstreamWritable() {
    client.upstreamDrained();
  }

  // ---------------------------------------------------------------------------------------------
  // What the response writer reports.

  @Override
  public void upstreamBodyEnded() {
    if (call != null && call.responseDone() && !client.requestComplete()) {
      client.closeAfter(); // the rest of the request body will not be read
    }
  }

  @Override
  public void clientFull() {
    if (call != null) {
      call.clientFull(true);
    }
  }

  @Override
  public void responseWritten() {
    finish();
  }

  @Override
  public void bodyBroken(String why) {
    record.appendDetails(why);
    if (call != null) {
      call.abort();
    }
    client.close();
    finish();
  }

  // ---------------------------------------------------------------------------------------------
  // What the chain runner reports, and local answers.

  @Override
  public boolean ended() {
    return state == DONE;
  }

  @Override
  public void phasePassed(boolean requestPhase) {
    if (requestPhase) {
      proceedToUpstream();
    } else {
      sendResponseHead();
    }
  }

  @Override
  public void answer(LocalResponse response, String why) {
    respondLocal(response, why);
  }

  @Override
  public void waiting(boolean requestPhase) {
    if (requestPhase) {
      client.holdBody(); // released once the request goes upstream or is answered
    } else if (call != null) {
      call.filtersDeciding(true);
    }
  }

  @Override
  public void resumed(boolean requestPhase) {
    if (!requestPhase && call != null) {
      call.filtersDeciding(false);
    }
  }

  @Override
  public AttributeMap attributesForTrace() {
    return record.attributes();
  }

  @Override
  public void replaceResponse(LocalResponse lr, String why) {
    if (writer.replace(lr) && call != null) {
      call.abort();
    }
    record.details(why);
    record.status(lr.status());
  }

  private void beginResponsePhase() {
    responsePhase = true;
    if (runner == null) {
      sendResponseHead();
    } else {
      runner.startResponsePhase();
    }
  }

  private void sendResponseHead() {
    writer.sendHead(record.status(), intake.keepAlive() && !server.isDraining(), call != null && call.reading());
  }

  /** Answers with a filter's response; the response phase runs for the filters before it. */
  private void respondLocal(LocalResponse lr, String why) {
    if (writer.headSent()) {
      record.details(why);
      client.close();
      finish();
      return;
    }
    if (!client.requestComplete()) {
      client.closeAfter();
    }
    client.releaseBody();
    replaceResponse(lr, why);
    beginResponsePhase();
  }

  /** Frontdesk's own error response (no route, upstream down, …), with {@code why} for the log. */
  private void respondError(int code, String why) {
    respondLocal(LocalResponse.of(code, why), why);
  }

  private void finish() {
    if (state == DONE) {
      return;
    }
    state = DONE;
    if (call != null) {
      call.end(); // an attempt still attached (the exchange was answered locally): nothing may reuse it
    }
    writer.release();
    if (!writer.complete() && pipeline != null) {
      pipeline.abort();
    }
    if (runner != null) {
      runner.complete();
    }
    if (trace != null) {
      trace.done(record);
    }
    try {
      server.observer().completed(record);
    } catch (RuntimeException e) {
      log.warn("an exchange observer failed", e);
    }
    snapshot.exit();
    server.exchangeEnded();
    client.end(writer.complete() && !tunnel);
  }

  // ---------------------------------------------------------------------------------------------
  // What the plugin API's view ({@link PluginExchange}) reads.

  boolean inResponsePhase() {
    return responsePhase;
  }

  /** @return whether the filters let the request go (an upstream call exists) */
  boolean leftRequestPhase() {
    return call != null;
  }

  /** @return whether the request head went to a target (it can no longer change) */
  boolean sentUpstream() {
    return call != null && call.started();
  }

  BodyPipeline bodyPipeline() {
    if (pipeline == null) {
      pipeline = new BodyPipeline();
      writer.transformWith(pipeline);
    }
    return pipeline;
  }

  /** @return {@code t} under the stall guard of the filter being called now */
  BodyTransformer guarded(BodyTransformer t) {
    return GuardedTransformer.of(t, runner == null ? null : runner.calling());
  }
}
