package io.frontdesk.plugins.cache;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A stored body read from the disk tier as the client takes it: one block-aligned read at a time
 * on the tier's reader threads, each block checked before a byte of it is sent, delivered on the
 * reader's context with back-pressure — a 1 GiB body never sits in memory whole. The first read is
 * done before the response starts ({@link #open}), so a body whose start does not check out is
 * never answered with; one that fails later cuts the response short.
 */
final class DiskBodyStream implements ReadStream<Buffer> {

  private static final int READ = 4 * DiskFormat.BLOCK;

  private final DiskTier disk;
  private final Body.OnDisk body;
  private final Context context;
  private final long end;
  private long position;
  private byte[] ready;
  private boolean reading;
  private boolean paused;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  private DiskBodyStream(DiskTier disk, Body.OnDisk body, Context context, long from, long length) {
    this.disk = disk;
    this.body = body;
    this.context = context;
    this.position = from;
    this.end = from + length;
  }

  /** @return a stream of bytes [from, from+length) with its first part read and checked */
  static Future<DiskBodyStream> open(DiskTier disk, Body.OnDisk body, Context context, long from, long length) {
    DiskBodyStream s = new DiskBodyStream(disk, body, context, from, length);
    Promise<DiskBodyStream> p = Promise.promise();
    if (length == 0) {
      p.complete(s);
      return p.future();
    }
    s.readNext(bytes -> p.complete(s), p::fail);
    return p.future();
  }

  private void readNext(Handler<byte[]> ok, Handler<Throwable> failed) {
    int n = (int) Math.min(READ - position % DiskFormat.BLOCK, end - position);
    reading = true;
    disk.read(body, position, n).whenComplete((bytes, e) -> context.runOnContext(v -> {
      reading = false;
      if (e != null) {
        failed.handle(e.getCause() != null ? e.getCause() : e);
        return;
      }
      position += bytes.length;
      ready = bytes;
      ok.handle(bytes);
    }));
  }

  private void drain() {
    while (!ended && !paused && handler != null) {
      if (ready != null) {
        byte[] b = ready;
        ready = null;
        handler.handle(BufferInternal.buffer(Unpooled.wrappedBuffer(b)));
        continue;
      }
      if (position >= end) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      if (!reading) {
        readNext(bytes -> drain(), e -> {
          ended = true;
          if (exceptionHandler != null) {
            exceptionHandler.handle(e);
          }
        });
      }
      return;
    }
  }

  @Override
  public DiskBodyStream exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public DiskBodyStream handler(Handler<Buffer> h) {
    handler = h;
    if (h == null) {
      ended = true; // the exchange ended: no more reads
      ready = null;
    } else {
      context.runOnContext(v -> drain());
    }
    return this;
  }

  @Override
  public DiskBodyStream pause() {
    paused = true;
    return this;
  }

  @Override
  public DiskBodyStream resume() {
    paused = false;
    context.runOnContext(v -> drain());
    return this;
  }

  @Override
  public DiskBodyStream fetch(long amount) {
    return resume();
  }

  @Override
  public DiskBodyStream endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }
}
