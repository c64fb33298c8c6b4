package io.frontdesk.proxy;

import io.frontdesk.api.lb.BalancerContext;

/** What a balancer may read of a request: a read-only window on its head, never the exchange. */
final class BalancerView implements BalancerContext {

  private final RequestIntake intake;

  BalancerView(RequestIntake intake) {
    this.intake = intake;
  }

  @Override
  public String clientIp() {
    return intake.clientIp();
  }

  @Override
  public String method() {
    return intake.request().method().name();
  }

  @Override
  public String host() {
    return intake.host();
  }

  @Override
  public String path() {
    return intake.path();
  }

  @Override
  public String header(CharSequence name) {
    return intake.request().headers().get(name);
  }
}
