package io.frontdesk.proxy;

import io.frontdesk.api.http.Headers;
import io.frontdesk.api.http.ResponseHead;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The response as filters see and change it, until its head goes to the client. */
final class ResponseView implements ResponseHead {

  private final ExchangeRecord record;
  private final ResponseWriter writer;
  private final Runnable checkChangeable;
  /** The head {@link #headers} wraps: a filter may have replaced the response since. */
  private HttpResponse viewed;
  private Headers headers;

  /** @param checkChangeable throws when the response head went to the client already */
  ResponseView(ExchangeRecord record, ResponseWriter writer, Runnable checkChangeable) {
    this.record = record;
    this.writer = writer;
    this.checkChangeable = checkChangeable;
  }

  @Override
  public int status() {
    return record.status();
  }

  @Override
  public void status(int s) {
    checkChangeable.run();
    if (s < 200 || s > 599) {
      throw new IllegalArgumentException("status must be 200..599");
    }
    record.status(s);
    writer.head().setStatus(HttpResponseStatus.valueOf(s));
  }

  @Override
  public boolean fromUpstream() {
    return writer.fromUpstream();
  }

  @Override
  public Headers headers() {
    HttpResponse now = writer.head();
    if (viewed != now) {
      viewed = now;
      headers = new NettyHeaders(now.headers(), checkChangeable);
    }
    return headers;
  }
}
