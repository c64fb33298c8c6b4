package io.frontdesk.proxy;

import io.frontdesk.api.exchange.TlsInfo;
import io.frontdesk.api.http.RequestBody;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;

/**
 * One exchange's side of its client connection: the request stream (the body as it is read,
 * checked against its limit, held while no upstream takes it), the reasons the exchange holds the
 * connection's reading, and what goes back to the client. The only piece of an exchange that
 * touches its {@link ClientConnection}; its read-block bits are its own and let go when the
 * exchange ends. Reports to the exchange through {@link Events}.
 */
final class Downstream {

  /** What the downstream tells its exchange. */
  interface Events {
    /** @return whether the upstream takes the body now (else it is held) */
    boolean upstreamReady();

    /** A chunk of the body for the upstream. */
    void body(HttpContent c);

    /** The body cannot be read on (malformed, too large): answer {@code code}, then close. */
    void bodyRefused(int code, String why);

    /** A read batch from the client ended. */
    void readComplete();

    /** The client can take more again. */
    void clientWritable();

    /** The client left (or reset its stream) before the exchange ended. */
    void clientClosed();

    /** Body bytes arrived for a filter that reads the body before it decides. */
    default void readAheadProgress() {
    }
  }

  /** Filters deciding, an upstream connecting, or an upgrade waiting for its 101: the body waits. */
  private static final int BLOCK_WAITING = 4;
  /** The upstream connection cannot take more of the body. */
  private static final int BLOCK_UPSTREAM_BACKPRESSURE = 8;

  private final ClientConnection client;
  private final Channel channel;
  private final Events events;
  private ArrayDeque<HttpContent> held;
  private long heldBytes;
  /** Filters reading the body before they decide; {@code null} until one asks. */
  private BodyReadAhead readAhead;
  private boolean bodyExpected;
  private boolean requestComplete;
  private long requestBytes;
  private long maxBodyBytes;
  private boolean tunneled;
  private boolean ended;
  private boolean closeAfter;
  private boolean continueSent;

  Downstream(ClientConnection client, Events events) {
    this.client = client;
    this.channel = client.channel();
    this.events = events;
  }

  ConnectionFacts facts() {
    return client.facts();
  }

  TlsInfo tls() {
    return client.tls();
  }

  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  /** @return whether a client read is being processed (a flush follows it) */
  boolean inRead() {
    return client.inRead();
  }

  // ---------------------------------------------------------------------------------------------
  // Reading.

  /**
   * Stops reading the body until {@link #releaseBody}: filters decide or an upstream connects. A
   * filter reading the body ahead keeps it flowing (into the held chunks) until it has enough.
   */
  void holdBody() {
    if (!readingAhead()) {
      client.blockRead(BLOCK_WAITING);
    }
  }

  /**
   * A filter reads the body, up to {@code max} bytes, before it decides: the held chunks grow until
   * they say enough, then go upstream as usual.
   *
   * @param context where the answer completes (the exchange's loop)
   * @param sendContinue the client waits for {@code 100 Continue} before it sends the body
   */
  Future<RequestBody> readAhead(int max, ContextInternal context, boolean sendContinue) {
    if (!bodyExpected) {
      return Future.succeededFuture(RequestBody.of(Buffer.buffer(), true));
    }
    if (readAhead == null) {
      readAhead = new BodyReadAhead(context);
    }
    Future<RequestBody> f = readAhead.ask(max, held, heldBytes, requestComplete);
    if (readAhead.wantsMore()) {
      if (sendContinue) {
        sendContinue();
      }
      client.unblockRead(BLOCK_WAITING);
    }
    return f;
  }

  /** @return whether a filter waits for more of the body */
  private boolean readingAhead() {
    return readAhead != null && readAhead.wantsMore();
  }

  void releaseBody() {
    client.unblockRead(BLOCK_WAITING);
  }

  void upstreamFull() {
    client.blockRead(BLOCK_UPSTREAM_BACKPRESSURE);
  }

  void upstreamDrained() {
    client.unblockRead(BLOCK_UPSTREAM_BACKPRESSURE);
  }

  /**
   * The head's framing is known.
   *
   * @param hasBody a body follows (else the request is whole already; the decoder's empty last
   *     chunk may still be on its way)
   * @param close the connection closes after this request (RFC 9112 6.3: Content-Length and chunked)
   */
  void requestStarted(boolean hasBody, boolean close) {
    bodyExpected = hasBody;
    requestComplete = !hasBody;
    closeAfter |= close;
  }

  /** @param max the most body bytes the route accepts (0: no limit) */
  void limitBody(long max) {
    maxBodyBytes = max;
  }

  /** A chunk of the request body, from the connection: checked, counted, then sent on or held. */
  void onRequestContent(HttpContent c) {
    if (ended || tunneled) {
      c.release();
      return;
    }
    if (c.decoderResult().isFailure()) {
      Throwable cause = c.decoderResult().cause();
      c.release();
      endReadAhead("the request body is malformed");
      events.bodyRefused(cause instanceof TooLongFrameException ? 413 : 400, "malformed request body: " + cause);
      return;
    }
    if (!bodyExpected) {
      c.release(); // the empty end of a request without a body: already ended upstream
      return;
    }
    requestBytes += c.content().readableBytes();
    if (maxBodyBytes > 0 && requestBytes > maxBodyBytes) {
      c.release();
      endReadAhead("the request body is over the route's limit");
      events.bodyRefused(413, "request body over the limit of " + maxBodyBytes + " bytes");
      return;
    }
    if (c instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (events.upstreamReady()) {
      events.body(c);
    } else {
      hold(c);
    }
  }

  /** {@link ChunkLines} saw a chunk-size line the decoder reads too kindly ({@code "3 \r\n"}). */
  void onBrokenChunkLine() {
    if (!ended && !tunneled) {
      endReadAhead("the request body is malformed");
      events.bodyRefused(400, "malformed request body: a chunk size followed by whitespace that starts no extension");
    }
  }

  void onReadComplete() {
    events.readComplete();
  }

  void onWritabilityChanged(boolean writable) {
    if (writable) {
      events.clientWritable();
    }
  }

  void onClosed() {
    endReadAhead("the client closed the connection");
    if (!ended) {
      events.clientClosed();
    }
  }

  boolean requestComplete() {
    return requestComplete;
  }

  long requestBytes() {
    return requestBytes;
  }

  /** Keeps a chunk until the upstream is connected; reading stops while the body is not whole. */
  private void hold(HttpContent c) {
    if (held == null) {
      held = new ArrayDeque<>(4);
    }
    held.add(c);
    heldBytes += c.content().readableBytes();
    if (!requestComplete && (readAhead == null || !readAhead.wantsMoreThan(heldBytes))) {
      client.blockRead(BLOCK_WAITING);
    }
    // Last: an answered reader's filter may decide at once, and the upstream take the held body.
    if (readingAhead()) {
      events.readAheadProgress();
      readAhead.progress(held, heldBytes, requestComplete);
    }
  }

  /** @return the next chunk kept by {@link #hold}, or {@code null} */
  HttpContent nextHeld() {
    HttpContent c = held == null ? null : held.poll();
    if (c != null) {
      heldBytes -= c.content().readableBytes();
    }
    return c;
  }

  /**
   * Readers still waiting are told {@code why}: the body failed, the client left, the exchange
   * ended, or the filters let the request go on without waiting.
   */
  void endReadAhead(String why) {
    if (readAhead != null) {
      readAhead.fail(why);
    }
  }

  void dropHeld() {
    if (held != null) {
      HttpContent c;
      while ((c = held.poll()) != null) {
        c.release();
      }
    }
    heldBytes = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing.

  void write(Object msg) {
    channel.write(msg);
  }

  void writeAndFlush(Object msg) {
    channel.writeAndFlush(msg);
  }

  void flush() {
    channel.flush();
  }

  boolean writable() {
    return channel.isWritable();
  }

  /** Closes the connection now (a response cut short cannot be told otherwise). */
  void close() {
    channel.close();
  }

  /** The connection closes after this exchange. */
  void closeAfter() {
    closeAfter = true;
  }

  boolean closingAfter() {
    return closeAfter;
  }

  /** Writes the response's end, then closes the connection when it must not be reused. */
  void writeLast(HttpContent last) {
    if (closeAfter && !facts().http2()) {
      client.closeAfter(channel.writeAndFlush(last));
    } else {
      channel.writeAndFlush(last);
    }
  }

  /**
   * The filters accepted the request: now let the client send its body (on HTTP/2 the stream
   * codec turns this into a HEADERS frame with :status 100).
   */
  void sendContinue() {
    if (!continueSent) {
      continueSent = true;
      channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
          Unpooled.EMPTY_BUFFER));
    }
  }

  /** After a 101: the connection becomes one end of a byte tunnel to {@code upstream}. */
  void startTunnel(Channel upstream, long idleTimeoutMillis, Runnable onClose) {
    tunneled = true;
    dropHeld();
    client.startTunnel(upstream, idleTimeoutMillis, onClose);
  }

  /**
   * The exchange has ended: the connection takes the next request (and reads again) or closes.
   *
   * @param responseComplete the response went out whole (and no tunnel took the connection)
   */
  void end(boolean responseComplete) {
    ended = true;
    endReadAhead("the exchange ended");
    dropHeld();
    if (client.exchangeFinished(this, responseComplete && requestComplete && !closeAfter)) {
      client.unblockRead(BLOCK_WAITING | BLOCK_UPSTREAM_BACKPRESSURE);
    }
  }
}
