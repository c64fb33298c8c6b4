package io.frontdesk.proxy;

import io.frontdesk.api.exchange.Attributes;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.exchange.TlsInfo;
import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.RequestBody;
import io.frontdesk.api.http.RequestHead;
import io.frontdesk.api.http.ResponseHead;
import io.frontdesk.api.upstream.UpstreamClient;
import io.frontdesk.routing.CompiledRoute;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The exchange as a plugin's filter sees it (the plugin API's {@link Exchange}): facts of the
 * request, phase-checked views of the request and the response, attributes, body transformers.
 * A call that comes too late for what it changes throws {@link IllegalStateException} naming the
 * phase it came in. Made for exchanges whose route has filters.
 */
final class PluginExchange implements Exchange {

  private final ProxyExchange exchange;
  private final ExchangeRecord record;
  private final RequestIntake intake;
  private final Downstream client;
  private final ResponseWriter writer;
  private final LoopResources loop;
  private final ProxyServer server;
  private RequestView requestView;
  private ClientRequestView clientView;
  private RouteUpstreamClient upstreamClient;
  private ResponseView responseView;
  private AttributeMap attributes;

  PluginExchange(ProxyExchange exchange, ExchangeRecord record, RequestIntake intake, Downstream client,
      ResponseWriter writer, LoopResources loop, ProxyServer server) {
    this.writer = writer;
    this.exchange = exchange;
    this.record = record;
    this.intake = intake;
    this.client = client;
    this.loop = loop;
    this.server = server;
  }

  @Override
  public String requestId() {
    return intake.requestId();
  }

  @Override
  public Instant startTime() {
    return record.startTime();
  }

  @Override
  public String clientIp() {
    return intake.clientIp();
  }

  @Override
  public InetSocketAddress peerAddress() {
    return client.facts().peer();
  }

  @Override
  public TlsInfo tls() {
    return client.tls();
  }

  @Override
  public String siteId() {
    CompiledRoute r = record.route();
    return r == null ? null : r.site().site().id();
  }

  @Override
  public String siteName() {
    CompiledRoute r = record.route();
    return r == null ? null : r.site().site().name();
  }

  @Override
  public String routeId() {
    CompiledRoute r = record.route();
    return r == null ? null : r.route().id();
  }

  @Override
  public String routeName() {
    CompiledRoute r = record.route();
    return r == null ? null : r.route().name();
  }

  @Override
  public String upstreamId() {
    CompiledRoute r = record.route();
    return r == null ? null : r.upstream().config().id();
  }

  @Override
  public String upstreamName() {
    CompiledRoute r = record.route();
    return r == null ? null : r.upstream().config().name();
  }

  @Override
  public String targetAddress() {
    return record.targetAddress();
  }

  @Override
  public RequestHead request() {
    if (requestView == null) {
      requestView = new RequestView(intake, client.facts().scheme(), this::checkRequestChangeable);
    }
    return requestView;
  }

  @Override
  public ClientRequest clientRequest() {
    if (clientView == null) {
      clientView = new ClientRequestView(intake, client.facts().scheme());
    }
    return clientView;
  }

  @Override
  public Future<RequestBody> readRequestBody(int maxBytes) {
    if (maxBytes < 0 || maxBytes > RequestBody.MAX_READ_BYTES) {
      throw new IllegalArgumentException("maxBytes must be 0.." + RequestBody.MAX_READ_BYTES + ", was " + maxBytes);
    }
    if (exchange.inResponsePhase() || exchange.ended() || exchange.leftRequestPhase()) {
      throw new IllegalStateException("the request body can be read before it goes upstream: call readRequestBody "
          + "in onRequest, not in " + phase());
    }
    return client.readAhead(maxBytes, loop.context(), intake.expectContinue());
  }

  @Override
  public UpstreamClient upstream() {
    if (upstreamClient == null) {
      CompiledRoute r = record.route();
      upstreamClient = new RouteUpstreamClient(server, loop, r.route().id(), r.upstream().config().name(),
          intake.requestId(), intake.clientIp(), intake.host());
    }
    return upstreamClient;
  }

  @Override
  public ResponseHead response() {
    if (writer.head() == null) {
      return null;
    }
    if (responseView == null) {
      responseView = new ResponseView(record, writer, this::checkResponseChangeable);
    }
    return responseView;
  }

  @Override
  public Attributes attributes() {
    if (attributes == null) {
      attributes = new AttributeMap();
    }
    return attributes;
  }

  /** @return the attributes filters set, or {@code null} when none asked for them */
  AttributeMap attributesIfAny() {
    return attributes;
  }

  @Override
  public boolean isUpgrade() {
    return intake.upgradeRequested();
  }

  /** @return the phase a filter is called in now, for the messages of refused calls */
  private String phase() {
    return exchange.ended() ? "the log phase (onComplete)"
        : exchange.inResponsePhase() ? "the response phase"
        : exchange.leftRequestPhase() ? "the upstream call (the request phase has passed)" : "the request phase";
  }

  /** The request can change until its head goes upstream: in the request phase. */
  private void checkRequestChangeable() {
    if (exchange.inResponsePhase() || exchange.ended() || exchange.sentUpstream()) {
      throw new IllegalStateException("the request was sent upstream already: change it in onRequest, not in "
          + phase());
    }
  }

  /** The response can change until its head goes to the client: in the response phase. */
  private void checkResponseChangeable() {
    if (writer.headSent() || exchange.ended()) {
      throw new IllegalStateException("the response head was sent to the client already: change it in onResponse, "
          + "not in " + phase());
    }
  }

  @Override
  public void transformRequestBody(BodyTransformer transformer) {
    if (exchange.sentUpstream() || exchange.inResponsePhase() || exchange.ended()) {
      throw new IllegalStateException("a request body transformer must be added in onRequest, before the body "
          + "goes upstream, not in " + phase());
    }
    exchange.bodyPipeline().addRequest(exchange.guarded(transformer));
  }

  @Override
  public void transformResponseBody(BodyTransformer transformer) {
    if (!exchange.inResponsePhase() || writer.headSent() || exchange.ended()) {
      throw new IllegalStateException("a response body transformer must be added in onResponse, before the "
          + "response head goes out, not in " + phase());
    }
    exchange.bodyPipeline().addResponse(exchange.guarded(transformer));
  }

  @Override
  public <T> Future<T> executeBlocking(Callable<T> work) {
    return loop.context().executeBlocking(work, false);
  }

  @Override
  public Vertx vertx() {
    return server.vertx();
  }
}
