package io.frontdesk.proxy;

import io.frontdesk.api.filter.LocalResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response on its way to the client: the head framed for the body really sent (a length,
 * chunks, or — for HTTP/1.0 — the connection's end; none on h2, whose frames carry the end) and the
 * connection kept or closed, then the body — the target's (held until the head is out), a local
 * one, or a local stream — through the response transformers. Reports to the exchange through
 * {@link Events}.
 */
final class ResponseWriter {

  private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

  /** What the writer tells its exchange. */
  interface Events {
    /** The target's last chunk passed the transformers: its connection may go. */
    void upstreamBodyEnded();

    /** The client cannot take more now: stop reading the target. */
    void clientFull();

    /** The response went out whole: the exchange ends. */
    void responseWritten();

    /** The body could not be sent whole: the connection closes, {@code why} goes to the log. */
    void bodyBroken(String why);
  }

  private final Downstream client;
  private final RequestIntake intake;
  private final EventLoop loop;
  private final Events events;
  private BodyPipeline pipeline;
  private ExchangeTrace trace;
  private HttpResponse head;
  private boolean fromUpstream;
  /** The body's length as its source framed it, or -1 (unknown: chunked or until close). */
  private long length = -1;
  private ByteBuf localBody;
  private ReadStream<Buffer> localStream;
  /** The target's body that arrived before the head could go out. */
  private ArrayDeque<HttpContent> held;
  private boolean headSent;
  private boolean complete;
  private boolean released;
  private long bytes;

  ResponseWriter(Downstream client, RequestIntake intake, EventLoop loop, Events events) {
    this.client = client;
    this.intake = intake;
    this.loop = loop;
    this.events = events;
  }

  void transformWith(BodyPipeline p) {
    pipeline = p;
  }

  void traceWith(ExchangeTrace t) {
    trace = t;
  }

  /** The target's head is the response (until a filter replaces it). */
  void upstreamHead(HttpResponse r) {
    head = r;
    length = HttpUtil.getContentLength(r, -1L);
    fromUpstream = true;
  }

  /**
   * A local response takes the place of whatever was there.
   *
   * @return whether it replaced the target's response (whose connection must then go)
   */
  boolean replace(LocalResponse lr) {
    boolean replaced = fromUpstream;
    if (fromUpstream) {
      fromUpstream = false;
      drop(held);
    }
    releaseLocalBody();
    head = localHead(lr);
    length = HttpUtil.getContentLength(head, -1L);
    return replaced;
  }

  private HttpResponse localHead(LocalResponse lr) {
    HttpResponse h;
    if (lr.body() == null && lr.stream() == null && lr.status() >= 400) {
      FullHttpResponse page = ErrorPages.render(client.alloc(), lr.status(),
          intake.request().headers().get(HttpHeaderNames.ACCEPT), intake.requestId(), intake.headRequest());
      localBody = page.content();
      h = new DefaultHttpResponse(HttpVersion.HTTP_1_1, page.status(), page.headers());
    } else {
      h = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(lr.status()));
      if (lr.body() != null) {
        localBody = ((BufferInternal) lr.body()).getByteBuf();
        h.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, localBody.readableBytes());
      } else if (lr.stream() != null) {
        localStream = lr.stream();
        if (lr.streamLength() >= 0) {
          h.headers().set(HttpHeaderNames.CONTENT_LENGTH, lr.streamLength());
        }
      } else {
        localBody = Unpooled.EMPTY_BUFFER;
        if (bodyFollows(intake.headRequest(), lr.status())) {
          h.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        } // else (304, HEAD) a Content-Length the filter sets is the full response's: kept
      }
    }
    for (Map.Entry<String, String> e : lr.headers()) {
      if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(e.getKey())
          && h.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        continue; // the body's own length wins over a filter's header
      }
      h.headers().add(e.getKey(), e.getValue());
    }
    return h;
  }

  /**
   * Frames and writes the head, then the body that is ready.
   *
   * @param keepAlive whether the connection may stay open (the client wants it, the node is not draining)
   * @param readingUpstream a read from the target is in progress (it flushes when it ends)
   */
  void sendHead(int status, boolean keepAlive, boolean readingUpstream) {
    HttpHeaders h = head.headers();
    // The framing follows the body really sent, whatever the filters set.
    h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (transforms() && !pipeline.preservesResponseLength() || length < 0) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
    } else {
      h.set(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    boolean bodyAllowed = bodyFollows(intake.headRequest(), status);
    boolean keep = keepAlive && !client.closingAfter();
    if (!intake.http2()) {
      boolean http10 = intake.version().equals(HttpVersion.HTTP_1_0);
      if (bodyAllowed && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        if (http10) {
          keep = false; // HTTP/1.0 cannot read chunks: the end of the body is the end of the connection
        } else {
          HttpUtil.setTransferEncodingChunked(head, true);
        }
      }
      if (!keep) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        client.closeAfter();
      } else if (http10) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
    }
    h.set(HopByHop.X_REQUEST_ID, intake.requestId());
    if (head.protocolVersion() != HttpVersion.HTTP_1_1) {
      head.setProtocolVersion(HttpVersion.HTTP_1_1); // we speak our own version to the client
    }
    if (trace != null) {
      trace.response(status, h);
    }
    client.write(head);
    headSent = true;
    if (!fromUpstream) {
      sendLocalBody();
      return;
    }
    if (held != null) {
      HttpContent c;
      while (!released && (c = held.poll()) != null) {
        forward(c);
      }
    }
    if (!released && !readingUpstream) {
      client.flush(); // else the upstream read in progress ends with one flush
    }
  }

  /** After the target's 101: the client gets it as is (with the request id) and the tunnel opens. */
  void switchProtocols(HttpResponse r101) {
    HttpResponse h = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
        r101.headers().copy());
    h.headers().set(HopByHop.X_REQUEST_ID, intake.requestId());
    client.writeAndFlush(h);
    headSent = true;
  }

  /** A chunk of the target's body: dropped when a local response replaced it, held until the head is out. */
  void upstreamContent(HttpContent c) {
    if (!fromUpstream) {
      c.release(); // upstream body after a filter replaced the response: not wanted
      if (c instanceof LastHttpContent) {
        events.upstreamBodyEnded();
      }
      return;
    }
    if (!headSent) {
      if (held == null) {
        held = new ArrayDeque<>(4);
      }
      held.add(c);
      return;
    }
    forward(c);
  }

  private void forward(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    HttpContent out;
    try {
      out = transforms() ? pipeline.response(c) : c;
    } catch (RuntimeException e) {
      log.warn("a response body transformer failed on request {}", intake.requestId(), e);
      events.bodyBroken("response body transformer failed: " + e); // the head is out: truncating is all that is left
      return;
    }
    bytes += out.content().readableBytes();
    if (last) {
      events.upstreamBodyEnded();
      writeLast(out);
      return;
    }
    client.write(out);
    if (!client.writable()) {
      events.clientFull();
    }
  }

  private void sendLocalBody() {
    if (localStream != null) {
      streamLocalBody();
      return;
    }
    ByteBuf body = localBody == null ? Unpooled.EMPTY_BUFFER : localBody;
    localBody = null;
    HttpContent out = new DefaultLastHttpContent(body);
    if (transforms()) {
      try {
        out = pipeline.response(out);
      } catch (RuntimeException e) {
        log.warn("a response body transformer failed on request {}", intake.requestId(), e);
        out = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      }
    }
    bytes += out.content().readableBytes();
    writeLast(out);
  }

  private void streamLocalBody() {
    ReadStream<Buffer> s = localStream;
    s.exceptionHandler(e -> onLoop(() -> {
      if (!released) {
        events.bodyBroken("local response stream failed: " + e);
      }
    }));
    s.endHandler(v -> onLoop(() -> {
      if (!released) {
        localStream = null;
        HttpContent out = transformed(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER));
        bytes += out.content().readableBytes();
        writeLast(out);
      }
    }));
    s.handler(buf -> onLoop(() -> {
      if (!released) {
        HttpContent out = transformed(new DefaultHttpContent(Unpooled.wrappedBuffer(buf.getBytes())));
        bytes += out.content().readableBytes();
        client.writeAndFlush(out);
        if (!client.writable()) {
          s.pause();
        }
      }
    }));
  }

  private HttpContent transformed(HttpContent c) {
    return transforms() ? pipeline.response(c) : c;
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  private void writeLast(HttpContent last) {
    complete = true;
    client.writeLast(last);
    events.responseWritten();
  }

  /** The client can take more: a paused local stream goes on. */
  void clientWritable() {
    if (localStream != null) {
      localStream.resume();
    }
  }

  private boolean transforms() {
    return pipeline != null && pipeline.transformsResponse();
  }

  /** The exchange has ended: what is held is released and a local stream is no longer read. */
  void release() {
    released = true;
    drop(held);
    releaseLocalBody();
    if (localStream != null) {
      localStream.handler(null);
      localStream = null;
    }
  }

  private static void drop(ArrayDeque<HttpContent> q) {
    if (q != null) {
      HttpContent c;
      while ((c = q.poll()) != null) {
        c.release();
      }
    }
  }

  private void releaseLocalBody() {
    if (localBody != null) {
      ReferenceCountUtil.release(localBody);
      localBody = null;
    }
  }

  /** @return the head as it is now (the target's or a local one), or {@code null} before there is one */
  HttpResponse head() {
    return head;
  }

  boolean fromUpstream() {
    return fromUpstream;
  }

  boolean headSent() {
    return headSent;
  }

  /** @return whether the whole response went out */
  boolean complete() {
    return complete;
  }

  /** The tunnel closed: an upgraded exchange ends complete. */
  void tunnelClosed() {
    complete = true;
  }

  long bytes() {
    return bytes;
  }

  /** @return whether a response to this request with this status carries a body (RFC 9110 6.4.1) */
  static boolean bodyFollows(boolean headRequest, int status) {
    return !headRequest && status >= 200 && status != 204 && status != 304;
  }
}
