package io.frontdesk.proxy;

import io.frontdesk.api.http.Headers;
import io.frontdesk.api.http.RequestHead;

/**
 * The request as filters see and change it: changes are checked (values by {@link RequestTargets},
 * the phase by the exchange) and go straight into the head that goes upstream.
 */
final class RequestView extends IntakeFacts implements RequestHead {

  private final Runnable checkChangeable;
  private final Headers headers;

  /** @param checkChangeable throws when the request went upstream already */
  RequestView(RequestIntake intake, String scheme, Runnable checkChangeable) {
    super(intake, scheme);
    this.checkChangeable = checkChangeable;
    this.headers = new NettyHeaders(intake.request().headers(), checkChangeable);
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
  public Headers headers() {
    return headers;
  }
}
