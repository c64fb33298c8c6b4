package io.frontdesk.plugins.cache;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A collapsed request's body: the chunks of a {@link Fill} as they arrive, delivered on the
 * reader's own context with back-pressure. When the fill fails under it, the stream fails (the
 * client's response is cut short, as the origin's was); when its handler is set to {@code null}
 * (the exchange ended) it stops listening.
 */
final class FillStream implements ReadStream<Buffer> {

  private final Fill fill;
  private final Context context;
  private final Runnable listener;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean paused;
  private boolean ended;
  private int next;
  private boolean scheduled;

  FillStream(Fill fill, Context context) {
    this.fill = fill;
    this.context = context;
    this.listener = this::schedule;
  }

  private void schedule() {
    synchronized (this) {
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    context.runOnContext(v -> {
      synchronized (this) {
        scheduled = false;
      }
      drain();
    });
  }

  private void drain() {
    while (!ended && !paused && handler != null) {
      byte[] c = fill.chunk(next);
      if (c != null) {
        next++;
        handler.handle(BufferInternal.buffer(Unpooled.wrappedBuffer(c)));
        continue;
      }
      Fill.State s = fill.state();
      if (s == Fill.State.DONE && fill.chunk(next) == null) {
        finish();
        if (endHandler != null) {
          endHandler.handle(null);
        }
      } else if (s == Fill.State.FAILED) {
        finish();
        if (exceptionHandler != null) {
          exceptionHandler.handle(new IllegalStateException("the collapsed response was cut short"));
        }
      }
      return;
    }
  }

  private void finish() {
    ended = true;
    fill.unlisten(listener);
  }

  @Override
  public FillStream exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public FillStream handler(Handler<Buffer> h) {
    handler = h;
    if (h == null) {
      finish(); // the exchange ended: stop listening
    } else if (!ended) {
      fill.listen(listener);
      schedule();
    }
    return this;
  }

  @Override
  public FillStream pause() {
    paused = true;
    return this;
  }

  @Override
  public FillStream resume() {
    paused = false;
    schedule();
    return this;
  }

  @Override
  public FillStream fetch(long amount) {
    return resume();
  }

  @Override
  public FillStream endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }
}
