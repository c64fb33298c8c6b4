package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.UpstreamTarget;

/** A target whose load and latency a test sets. */
final class FakeTarget implements UpstreamTarget {
  final String address;
  final int weight;
  int outstanding;
  double latency;

  FakeTarget(String address, int weight) {
    this.address = address;
    this.weight = weight;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String host() {
    return address.substring(0, address.indexOf(':'));
  }

  @Override
  public int port() {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1));
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public int effectiveWeight() {
    return weight * 100;
  }

  @Override
  public int outstanding() {
    return outstanding;
  }

  @Override
  public double latencyEwmaMicros() {
    return latency;
  }
}
