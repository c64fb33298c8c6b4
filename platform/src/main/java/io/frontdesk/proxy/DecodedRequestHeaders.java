package io.frontdesk.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * The header map HTTP/1 requests are decoded into. It remembers one thing Netty's decoder hides:
 * that a request carried both {@code Content-Length} and {@code Transfer-Encoding: chunked} (the
 * decoder drops the length and keeps chunked, as RFC 9112 says). Such a request may be a smuggling
 * attempt, so its connection must close after the response.
 */
final class DecodedRequestHeaders extends DefaultHttpHeaders {

  /** Makes these maps for a decoder; validates names and values as Netty's default does. */
  static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
    private final DefaultHttpHeadersFactory defaults = DefaultHttpHeadersFactory.headersFactory();

    @Override
    public HttpHeaders newHeaders() {
      return new DecodedRequestHeaders(defaults);
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return defaults.newEmptyHeaders();
    }
  };

  private boolean lengthDroppedForChunked;

  private DecodedRequestHeaders(DefaultHttpHeadersFactory defaults) {
    super(defaults.getNameValidator(), defaults.getValueValidator());
  }

  @Override
  public HttpHeaders remove(CharSequence name) {
    noteRemoval(name);
    return super.remove(name);
  }

  @Override
  public HttpHeaders remove(String name) {
    noteRemoval(name);
    return super.remove(name);
  }

  private void noteRemoval(CharSequence name) {
    if (!lengthDroppedForChunked && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
        && contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      lengthDroppedForChunked = true;
    }
  }

  /** @return whether {@code headers} were decoded from a request with both framing headers */
  static boolean hadLengthAndChunked(HttpHeaders headers) {
    return headers instanceof DecodedRequestHeaders d && d.lengthDroppedForChunked;
  }
}
