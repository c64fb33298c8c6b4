package io.frontdesk.proxy;

import io.frontdesk.api.exchange.TlsInfo;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.FilterTiming;
import io.frontdesk.routing.CompiledRoute;
import io.frontdesk.upstream.CompiledTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an exchange leaves behind, as the access log, the metrics and the tracer read it (the
 * {@link ExchangeView} observers get): the facts the exchange decides (route, status, details)
 * and those its pieces hold (the request head, the connection, the upstream call, the response
 * writer, the filters), turned into one immutable {@link AccessLogRecord} when someone keeps it.
 */
final class ExchangeRecord implements ExchangeView {

  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final ProxyServer server;
  private final RequestIntake intake;
  private final Downstream client;
  private final ResponseWriter writer;
  private CompiledRoute route;
  private boolean traced;
  private UpstreamCall call;
  private ChainRunner runner;
  private PluginExchange api;
  private int status;
  private String details;

  ExchangeRecord(ProxyServer server, RequestIntake intake, Downstream client, ResponseWriter writer) {
    this.server = server;
    this.intake = intake;
    this.client = client;
    this.writer = writer;
  }

  void routed(CompiledRoute r, boolean withTrace) {
    route = r;
    traced = withTrace;
  }

  void filtered(ChainRunner r, PluginExchange view) {
    runner = r;
    api = view;
  }

  void forwarded(UpstreamCall c) {
    call = c;
  }

  void status(int s) {
    status = s;
  }

  void details(String why) {
    details = why;
  }

  void appendDetails(String why) {
    details = details == null ? why : details + "; " + why;
  }

  String details() {
    return details;
  }

  Instant startTime() {
    return Instant.ofEpochMilli(startMillis);
  }

  String requestId() {
    return intake.requestId();
  }

  /** @return the target that answered (or failed last), or {@code null} */
  private CompiledTarget target() {
    return call == null ? null : call.target();
  }

  /** @return the target as host:port, or {@code null} */
  String targetAddress() {
    CompiledTarget t = target();
    return t == null ? null : t.address();
  }

  /** @return the filters' attributes, or {@code null} when none were set */
  AttributeMap attributes() {
    return api == null ? null : api.attributesIfAny();
  }

  @Override
  public CompiledRoute route() {
    return route;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public long durationNanos() {
    return System.nanoTime() - startNanos;
  }

  @Override
  public long responseBytes() {
    return writer.bytes();
  }

  @Override
  public String targetLiveKey() {
    CompiledTarget t = target();
    return t == null ? null : t.liveKey();
  }

  @Override
  public boolean traced() {
    return traced;
  }

  @Override
  public AccessLogRecord toRecord() {
    List<FilterTiming> timings = runner == null ? List.of() : runner.timings();
    AttributeMap attributes = attributes();
    Map<String, String> attrs = attributes == null ? Map.of() : attributes.logged();
    HttpHeaders h = intake.request().headers();
    TlsInfo tls = client.tls();
    long upstreamNanos = call == null ? -1 : call.upstreamNanos();
    return AccessLogRecord.builder().timestamp(startTime()).node(server.nodeId())
        .requestId(intake.requestId()).site(route == null ? null : route.site().site().name())
        .route(route == null ? null : route.route().name())
        .upstream(route == null ? null : route.upstream().config().name()).target(targetAddress())
        .method(intake.request().method().name()).scheme(client.facts().scheme())
        .protocol(intake.protocol()).host(intake.host()).path(intake.originalPath())
        .query(server.redactQuery(intake.query())).status(status).requestBytes(client.requestBytes())
        .responseBytes(writer.bytes()).durationMicros(durationNanos() / 1000)
        .upstreamMicros(upstreamNanos < 0 ? -1 : upstreamNanos / 1000).clientIp(intake.clientIp())
        .userAgent(h.get(HttpHeaderNames.USER_AGENT)).referer(h.get(HttpHeaderNames.REFERER))
        .tlsVersion(tls == null ? null : tls.protocol()).retries(call == null ? 0 : call.retries())
        .details(details).filters(timings).attributes(attrs).build();
  }
}
