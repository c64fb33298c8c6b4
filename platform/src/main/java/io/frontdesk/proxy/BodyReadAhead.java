package io.frontdesk.proxy;

import io.frontdesk.api.http.RequestBody;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters' reads of the request body before they decide: each asks for the body up to its own
 * limit and is answered once the held body is longer than that limit or whole. The bytes stay in
 * the downstream's held chunks (they go upstream from there, the client sends them once); a reader
 * gets a copy of at most its limit.
 */
final class BodyReadAhead {

  private record Pending(int max, Promise<RequestBody> promise) {
  }

  private final ContextInternal context;
  private final List<Pending> pending = new ArrayList<>(1);

  BodyReadAhead(ContextInternal context) {
    this.context = context;
  }

  /** @return the answer now when the held body already says enough, else a future answered later */
  Future<RequestBody> ask(int max, ArrayDeque<HttpContent> held, long heldBytes, boolean complete) {
    if (complete || heldBytes > max) {
      return Future.succeededFuture(body(held, max, complete));
    }
    Promise<RequestBody> p = context.promise();
    pending.add(new Pending(max, p));
    return p.future();
  }

  /** @return whether some reader still waits for more of the body */
  boolean wantsMore() {
    return !pending.isEmpty();
  }

  /** @return whether some reader waits for more than {@code heldBytes} */
  boolean wantsMoreThan(long heldBytes) {
    for (Pending p : pending) {
      if (p.max() >= heldBytes) {
        return true;
      }
    }
    return false;
  }

  /** More of the body is held: answers the readers it is now enough for. */
  void progress(ArrayDeque<HttpContent> held, long heldBytes, boolean complete) {
    List<Pending> answered = null;
    List<RequestBody> bodies = null;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      if (complete || heldBytes > p.max()) {
        pending.remove(i--);
        if (answered == null) {
          answered = new ArrayList<>(1);
          bodies = new ArrayList<>(1);
        }
        answered.add(p);
        bodies.add(body(held, p.max(), complete));
      }
    }
    // Answered once the list is settled and every copy made: a reader's filter may decide at once
    // (and the upstream take the held body), or ask again.
    for (int i = 0; answered != null && i < answered.size(); i++) {
      answered.get(i).promise().tryComplete(bodies.get(i));
    }
  }

  /** The body cannot be read on (malformed, too large, the client left): every reader is told. */
  void fail(String why) {
    if (pending.isEmpty()) {
      return;
    }
    List<Pending> ps = List.copyOf(pending);
    pending.clear();
    for (Pending p : ps) {
      p.promise().tryFail(why);
    }
  }

  /** A copy of the held body's first {@code max} bytes; the whole body when it is complete and fits. */
  private static RequestBody body(ArrayDeque<HttpContent> held, int max, boolean complete) {
    Buffer out = Buffer.buffer();
    long total = 0;
    if (held != null) {
      for (HttpContent c : held) {
        ByteBuf b = c.content();
        int take = (int) Math.min(b.readableBytes(), max - out.length());
        if (take > 0) {
          byte[] bytes = new byte[take];
          b.getBytes(b.readerIndex(), bytes);
          out.appendBytes(bytes);
        }
        total += b.readableBytes();
      }
    }
    return RequestBody.of(out, complete && total <= max);
  }
}
