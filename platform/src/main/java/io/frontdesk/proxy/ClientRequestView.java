package io.frontdesk.proxy;

import io.frontdesk.api.http.ClientRequest;
import io.frontdesk.api.http.HeaderFields;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** The request as the client sent it, for filters: read-only, unchanged by rewrites. */
final class ClientRequestView extends IntakeFacts implements ClientRequest {

  private final HeaderFields headers;

  /**
   * @param clientHost the Host the client sent ({@code null}: none; an absolute form's authority
   *     may have been set since)
   * @return a copy of the headers as the client sent them
   */
  static HttpHeaders copyOf(HttpHeaders headers, String clientHost, boolean http2) {
    HttpHeaders copy = headers.copy();
    if (clientHost == null) {
      copy.remove(HttpHeaderNames.HOST);
    } else {
      copy.set(HttpHeaderNames.HOST, clientHost);
    }
    if (http2) {
      HopByHop.removeHttp2Extensions(copy);
    }
    return copy;
  }

  ClientRequestView(RequestIntake intake, String scheme) {
    super(intake, scheme);
    this.headers = new NettyHeaders(intake.clientHeaders() == null ? EmptyHttpHeaders.INSTANCE : intake.clientHeaders(),
        NettyHeaders.READ_ONLY);
  }

  @Override
  public String target() {
    return intake.clientTarget();
  }

  @Override
  public String path() {
    return intake.originalPath();
  }

  @Override
  public String query() {
    String t = intake.clientTarget();
    int q = t.indexOf('?');
    return q < 0 ? null : t.substring(q + 1);
  }

  @Override
  public HeaderFields headers() {
    return headers;
  }
}
