package io.frontdesk.proxy;

import io.frontdesk.api.http.Headers;
import io.frontdesk.api.http.RequestHead;

/**
 * The request as filters see and change it: changes are checked (values by {@link RequestTargets},
 * the phase by the exchange) and go straight into the head that goes upstream.
 */
final class RequestView implements RequestHead {

  private final RequestIntake intake;
  private final String scheme;
  private final Runnable checkChangeable;
  private final Headers headers;

  /** @param checkChangeable throws when the request went upstream already */
  RequestView(RequestIntake intake, String scheme, Runnable checkChangeable) {
    this.intake = intake;
    this.scheme = scheme;
    this.checkChangeable = checkChangeable;
    this.headers = new NettyHeaders(intake.request().headers(), checkChangeable);
  }

  @Override
  public String method() {
    return intake.request().method().name();
  }

  @Override
  public String path() {
    return intake.path();
  }

  @Override
  public void path(String p) {
    checkChangeable.run();
    intake.forwardPath(RequestTargets.checkPath(p));
  }

  @Override
  public String query() {
    return intake.query();
  }

  @Override
  public void query(String q) {
    checkChangeable.run();
    RequestTargets.checkQuery(q);
    intake.forwardQuery(q);
  }

  @Override
  public String host() {
    return intake.host();
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String protocol() {
    return intake.protocol();
  }

  @Override
  public Headers headers() {
    return headers;
  }
}
