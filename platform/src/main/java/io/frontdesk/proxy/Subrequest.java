package io.frontdesk.proxy;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.http.HeaderFields;
import io.frontdesk.api.upstream.UpstreamException;
import io.frontdesk.api.upstream.UpstreamRequest;
import io.frontdesk.api.upstream.UpstreamResponse;
import io.frontdesk.proxy.RetryDecision.Failure;
import io.frontdesk.routing.CompiledRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A filter's own request to its route's upstream: one {@link UpstreamCall} (same balancer, health,
 * retries and pools as the client's requests) whose whole response is gathered, up to the size the
 * filter accepts, within its timeout.
 */
final class Subrequest implements UpstreamCall.Listener {

  private final UpstreamRequest spec;
  private final BalancerContext balancerContext;
  private final Promise<UpstreamResponse> promise;
  private final UpstreamCall call;
  private final Runnable onEnd;
  private record Response(int status, HeaderFields headers, Buffer body, String targetAddress)
      implements UpstreamResponse {
  }

  private ScheduledFuture<?> timer;
  private HttpResponse head;
  private CompositeByteBuf body;
  private boolean done;
  private boolean bodyHandedOver;

  /** What the balancer reads: the exchange's client and host, the subrequest's method, path and headers. */
  private record Context(String clientIp, String method, String host, String path, HttpHeaders headers)
      implements BalancerContext {
    @Override
    public String header(CharSequence name) {
      return headers.get(name);
    }
  }

  /**
   * @param clientIp the client of the exchange the subrequest was made for (a balancer may hash it)
   * @param host the host that exchange asked for
   * @param onEnd runs once the subrequest has ended, whichever way
   */
  Subrequest(LoopResources loop, CompiledRoute route, UpstreamRequest spec, String clientIp, String host,
      String requestId, Runnable onEnd) {
    this.spec = spec;
    this.onEnd = onEnd;
    this.promise = loop.context().promise();
    HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(spec.method()), spec.uri());
    for (Map.Entry<String, String> h : spec.headers()) {
      req.headers().add(h.getKey(), h.getValue());
    }
    req.headers().set(HopByHop.X_REQUEST_ID, requestId);
    int q = spec.uri().indexOf('?');
    this.balancerContext = new Context(clientIp, spec.method(), host, q < 0 ? spec.uri() : spec.uri().substring(0, q),
        req.headers());
    this.call = new UpstreamCall(loop, route, req, null, null, null, requestId, this);
    this.timer = loop.loop().schedule(() -> fail("no answer within " + spec.timeoutMillis() + " ms", true),
        spec.timeoutMillis(), TimeUnit.MILLISECONDS);
  }

  Future<UpstreamResponse> start() {
    call.start();
    return promise.future();
  }

  @Override
  public BalancerContext balancerContext() {
    return balancerContext;
  }

  @Override
  public boolean frame(HttpRequest h) {
    Buffer b = spec.body();
    h.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (b == null) {
      h.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      return false;
    }
    HttpUtil.setContentLength(h, b.length());
    return true;
  }

  @Override
  public void connecting() {
  }

  @Override
  public void attached() {
    Buffer b = spec.body();
    if (b != null && !bodyHandedOver) {
      // Once: a retry's attempt gets the body again from the call's replay copy.
      bodyHandedOver = true;
      call.send(new DefaultLastHttpContent(Unpooled.wrappedBuffer(b.getBytes())));
    }
    call.flush();
  }

  @Override
  public boolean requestComplete() {
    return true;
  }

  @Override
  public void responseHead(HttpResponse r) {
    // A HEAD's, a 204's or a 304's Content-Length describes a body that is not sent.
    boolean bodyFollows = ResponseWriter.bodyFollows("HEAD".equals(spec.method()), r.status().code());
    long length = bodyFollows ? HttpUtil.getContentLength(r, -1L) : -1L;
    if (length > spec.maxResponseBytes()) {
      fail("the response's body (" + length + " bytes) is over the limit of " + spec.maxResponseBytes(), true);
      return;
    }
    head = r;
  }

  @Override
  public void responseContent(HttpContent c) {
    if (done) {
      c.release();
      return;
    }
    ByteBuf b = c.content();
    if (b.isReadable()) {
      if (body == null) {
        body = Unpooled.compositeBuffer();
      }
      if (body.readableBytes() + b.readableBytes() > spec.maxResponseBytes()) {
        c.release();
        fail("the response's body is over the limit of " + spec.maxResponseBytes() + " bytes", true);
        return;
      }
      body.addComponent(true, b.retain());
    }
    c.release();
    if (c instanceof LastHttpContent) {
      call.responseDone();
      byte[] bytes = new byte[body == null ? 0 : body.readableBytes()];
      if (body != null) {
        body.readBytes(bytes);
      }
      String target = call.target() == null ? null : call.target().address();
      UpstreamResponse r = new Response(head.status().code(), new NettyHeaders(head.headers(), NettyHeaders.READ_ONLY),
          Buffer.buffer(bytes), target);
      end();
      promise.tryComplete(r);
    }
  }

  @Override
  public void switched(HttpResponse r101, Channel upstream) {
    upstream.close(); // never asked for: UpstreamCall refuses it before this
  }

  @Override
  public void failed(Failure kind, String what) {
    fail(what, false);
  }

  @Override
  public void noTarget(String why) {
    fail(why, false);
  }

  @Override
  public void upstreamReadComplete() {
  }

  @Override
  public void upstreamWritable() {
  }

  private void fail(String why, boolean abort) {
    if (done) {
      return;
    }
    if (abort) {
      call.abandon();
    }
    end();
    promise.tryFail(new UpstreamException("subrequest " + spec.method() + " " + spec.uri() + ": " + why));
  }

  private void end() {
    done = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    call.end();
    if (body != null) {
      body.release();
      body = null;
    }
    onEnd.run();
  }
}
