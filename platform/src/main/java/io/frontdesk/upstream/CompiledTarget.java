package io.frontdesk.upstream;

import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.Target;
import io.frontdesk.config.Upstream;
import io.frontdesk.net.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A target as the proxy uses it: config, resolved address, live state and limit. */
public final class CompiledTarget implements UpstreamTarget {

  private final Target config;
  private final Upstream upstream;
  private final TargetState state;
  private final InetSocketAddress socketAddress;
  private final String address;
  private final String liveKey;
  private final String hostHeader;
  private final int limit;

  public CompiledTarget(Target config, Upstream upstream, TargetState state) {
    this.config = config;
    this.upstream = upstream;
    this.state = state;
    int limit = upstream.limitFor(config);
    this.limit = limit;
    this.address = config.address();
    this.liveKey = upstream.name() + "/" + address;
    this.hostHeader = config.port() == 80 ? (config.host().indexOf(':') >= 0 ? "[" + config.host() + "]" : config.host())
        : address;
    this.socketAddress = literalOrUnresolved(config.host(), config.port());
  }

  /** IP literals are parsed now; names stay unresolved and are resolved (asynchronously) at connect. */
  private static InetSocketAddress literalOrUnresolved(String host, int port) {
    InetAddress literal = IpLiteral.parse(host);
    return literal != null ? new InetSocketAddress(literal, port) : InetSocketAddress.createUnresolved(host, port);
  }

  /** @return "upstream/host:port", the target's name in live traffic figures */
  public String liveKey() {
    return liveKey;
  }

  public Target config() {
    return config;
  }

  public TargetState state() {
    return state;
  }

  public InetSocketAddress socketAddress() {
    return socketAddress;
  }

  /** @return the Host header to send when the route does not preserve the client's */
  public String hostHeader() {
    return hostHeader;
  }

  /** @return whether a new request may be sent now without exceeding the target's limit */
  public boolean hasCapacity() {
    return limit <= 0 || state.outstanding() < limit;
  }

  /** @return whether health checks, ejection and the circuit breaker let it take traffic now */
  public boolean available(long now) {
    return state.available(now, upstream.activeHealth() != null, upstream.circuitBreaker());
  }

  /** @return its health in a word, with the reason and since when (a report; routing uses {@link #available}) */
  public TargetStatus status(long now) {
    return state.status(now, upstream.activeHealth(), upstream.circuitBreaker(), upstream.slowStartMs());
  }

  /** A request is sent to it. */
  public void started() {
    state.started(upstream.circuitBreaker());
  }

  /** The attempt ended; feeds passive health and the circuit breaker. */
  public void ended(Outcome outcome, long latencyNanos) {
    state.ended(outcome, latencyNanos, upstream.passiveHealth(), upstream.circuitBreaker());
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String host() {
    return config.host();
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public int weight() {
    return config.weight();
  }

  @Override
  public int effectiveWeight() {
    return state.effectiveWeight(config.weight(), upstream.slowStartMs());
  }

  @Override
  public int outstanding() {
    return state.outstanding();
  }

  @Override
  public double latencyEwmaMicros() {
    return state.latencyEwmaMicros();
  }

  @Override
  public String toString() {
    return address;
  }
}
