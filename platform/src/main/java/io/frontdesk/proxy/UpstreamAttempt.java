package io.frontdesk.proxy;

import io.frontdesk.proxy.RetryDecision.Failure;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.Outcome;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One try at one target: takes a connection from the loop's pool, carries what its
 * {@link UpstreamCall} writes, reads the target's answer (interim responses dropped, keep-alive
 * noted, hop-by-hop headers removed), and watches the read timeout. Every failure is reported to
 * the call by its kind; the target's health hears the attempt's outcome once. Thrown away when the
 * call tries again.
 */
final class UpstreamAttempt extends LoopSweeper.Watched implements UpstreamConnection.Owner {

  private final UpstreamCall call;
  private final LoopResources loop;
  private final CompiledTarget target;
  private UpstreamConnection conn;
  /** The outcome is not reported yet. */
  private boolean open;
  /** The call let go of this attempt: a connection that arrives now goes back to the pool. */
  private boolean abandoned;
  private long startNanos;
  private long endNanos;
  private long lastActivityNanos;
  private long readTimeoutNanos;
  /** The target's final (non-interim) status, 0 before its response head. */
  private int status;
  private boolean keepAlive;
  /** The whole response has arrived: a close of the connection now is no failure. */
  private boolean responseEnded;
  private boolean reading;
  private boolean flushPending;

  UpstreamAttempt(UpstreamCall call, LoopResources loop, CompiledTarget target) {
    this.call = call;
    this.loop = loop;
    this.target = target;
  }

  void connect(int connectTimeoutMillis) {
    target.started();
    open = true;
    loop.pool().acquire(target, connectTimeoutMillis, this::acquired);
  }

  private void acquired(UpstreamConnection c, Throwable failure) {
    if (abandoned) { // the exchange ended or moved on while connecting
      if (c != null) {
        loop.pool().release(c);
      }
      return;
    }
    if (failure != null) {
      Failure kind = failure instanceof ConnectTimeoutException ? Failure.CONNECT_TIMEOUT
          : failure instanceof UpstreamPool.PoolTimeoutException ? Failure.POOL_TIMEOUT : Failure.CONNECT;
      call.attemptFailed(this, kind, failure, false);
      return;
    }
    conn = c;
    c.attach(this);
    startNanos = System.nanoTime();
    lastActivityNanos = startNanos;
    call.attached(this);
  }

  /** Writes {@code msg} (flushed later); @return whether the target can take more now */
  boolean write(Object msg) {
    Channel ch = conn.channel();
    ch.write(msg);
    flushPending = true;
    lastActivityNanos = System.nanoTime(); // upload progress keeps the attempt alive too
    return ch.isWritable();
  }

  void flush() {
    flushPending = false;
    conn.channel().flush();
  }

  boolean flushPending() {
    return flushPending;
  }

  void blockRead(int reason) {
    conn.blockRead(reason);
  }

  void unblockRead(int reason) {
    conn.unblockRead(reason);
  }

  @Override
  public void message(UpstreamConnection c, Object msg) {
    if (c != conn || abandoned) {
      ReferenceCountUtil.release(msg);
      return;
    }
    reading = true;
    try {
      handle(msg);
    } finally {
      reading = false;
    }
  }

  private void handle(Object msg) {
    lastActivityNanos = System.nanoTime();
    if (msg instanceof HttpResponse r && !takeHead(r)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpContent c) {
      if (c instanceof LastHttpContent) {
        responseEnded = true;
        cancelReadTimeout();
      }
      call.content(c);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  /** @return whether the head went to the call (else the message is dropped) */
  private boolean takeHead(HttpResponse r) {
    if (r.decoderResult().isFailure()) {
      call.attemptFailed(this, Failure.BAD_RESPONSE,
          new IOException("malformed response: " + r.decoderResult().cause()), false);
      return false;
    }
    int code = r.status().code();
    if (code == 101) {
      call.switched(this, r);
      return false;
    }
    if (code >= 100 && code < 200) {
      return false; // interim responses (100, 102, 103) are not passed on
    }
    if (call.headTaken()) {
      return false;
    }
    status = code;
    if (code >= 502 && code <= 504 && call.retriesStatus(this, code)) {
      return false;
    }
    HopByHop.Scan rs = HopByHop.scan(r.headers(), new HopByHop.Scan());
    keepAlive = r.protocolVersion().isKeepAliveDefault()
        ? !HopByHop.hasToken(rs.connection, "close") : HopByHop.hasToken(rs.connection, "keep-alive");
    HopByHop.strip(r.headers(), rs, false);
    call.head(r);
    return true;
  }

  @Override
  public void readComplete(UpstreamConnection c) {
    call.readComplete();
  }

  @Override
  public void writabilityChanged(UpstreamConnection c, boolean writable) {
    if (writable) {
      call.writable();
    }
  }

  @Override
  public void closed(UpstreamConnection c, Throwable cause) {
    if (c != conn || abandoned || responseEnded) {
      return; // a whole response may wait behind a response filter: the close ends nothing
    }
    // A pooled connection the target had already closed fails before any response byte: the
    // request never reached the target, so a fresh connection may try again.
    boolean reusedEarly = c.reused() && status == 0;
    call.attemptFailed(this, Failure.RESET, cause != null ? cause : new IOException("connection closed by the target"),
        reusedEarly);
  }

  void startReadTimeout(long millis) {
    readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    loop.sweeper().watchExchange(this);
  }

  void cancelReadTimeout() {
    readTimeoutNanos = 0;
    LoopSweeper.unwatch(this);
  }

  /** The loop's sweeper: no byte from the target within the read timeout fails the attempt. */
  @Override
  void sweep(long now) {
    if (conn == null || abandoned) {
      LoopSweeper.unwatch(this);
      return;
    }
    if (readTimeoutNanos != 0 && now - lastActivityNanos >= readTimeoutNanos) {
      long millis = TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos);
      call.attemptFailed(this, Failure.TIMEOUT, new TimeoutException("read timeout after " + millis + " ms"), false);
    }
  }

  /**
   * The response has ended: the connection goes back to the pool, or is closed.
   *
   * @return whether a connection was attached
   */
  boolean responseDone(boolean requestComplete) {
    if (conn == null) {
      return false;
    }
    cancelReadTimeout();
    endNanos = System.nanoTime();
    UpstreamConnection c = conn;
    conn = null;
    if (keepAlive && requestComplete && c.channel().isActive()) {
      loop.pool().release(c);
    } else {
      c.detach();
      c.channel().close();
    }
    return true;
  }

  /** After a 101: the connection leaves the pool's world and becomes one end of a tunnel. */
  Channel handOver() {
    cancelReadTimeout();
    status = 101;
    Channel ch = conn.channel();
    loop.pool().leave(conn);
    conn = null;
    return ch;
  }

  /** Lets go: a connection being acquired goes back to the pool, an attached one is closed mid-request. */
  void abort() {
    abandoned = true;
    cancelReadTimeout();
    UpstreamConnection c = conn;
    conn = null;
    if (c != null) {
      c.detach();
      c.channel().close();
    }
  }

  /** Feeds the target's health state, once per attempt. */
  void report(Outcome outcome, long latencyNanos) {
    if (open) {
      open = false;
      target.ended(outcome, latencyNanos);
    }
  }

  /** At the exchange's end: the outcome of an attempt that neither failed nor was retried. */
  void reportFinal() {
    report(status >= 500 ? Outcome.HTTP_5XX : status > 0 ? Outcome.SUCCESS : Outcome.NEUTRAL, latencyNanos());
  }

  /** @return from connection to the response's end, or -1 while it has not ended */
  long latencyNanos() {
    return endNanos > 0 ? endNanos - startNanos : -1;
  }

  long sinceStartNanos() {
    return System.nanoTime() - startNanos;
  }

  CompiledTarget target() {
    return target;
  }

  boolean attached() {
    return conn != null;
  }

  boolean abandoned() {
    return abandoned;
  }

  boolean reading() {
    return reading;
  }
}
