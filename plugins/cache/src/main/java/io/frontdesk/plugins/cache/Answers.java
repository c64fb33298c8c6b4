package io.frontdesk.plugins.cache;

import io.frontdesk.api.filter.LocalResponse;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Responses made from a stored response (RFC 9111 4): its status and fields, a fresh {@code Age},
 * this cache's {@code Cache-Status} member after any from caches nearer the origin, and its body —
 * none for {@code HEAD} (with the length the full response has) or for statuses without one.
 */
final class Answers {

  private Answers() {
  }

  /**
   * @param head whether the request is {@code HEAD}
   * @param details why, for the access log
   */
  static LocalResponse of(StoredResponse r, long now, boolean head, CacheStatus status, String details) {
    StoredHead h = r.head();
    LocalResponse lr = LocalResponse.of(h.status(), details);
    String[] f = h.headers();
    for (int i = 0; i < f.length; i += 2) {
      lr.header(f[i], f[i + 1]);
    }
    lr.header("Age", AgeCalculator.header(h.age(now)));
    lr.header("Cache-Status", status.toString());
    int s = h.status();
    boolean bodyless = s == 204 || s == 304;
    if (head || bodyless) {
      if (!bodyless) {
        lr.header("Content-Length", Long.toString(r.body().length()));
      }
      return lr;
    }
    if (r.body() instanceof Body.InMemory m) {
      // A wrapper of its own per answer: the writer releases what it sends, the stored bytes stay.
      lr.body(m.length() == 0 ? Buffer.buffer() : BufferInternal.buffer(Unpooled.wrappedBuffer(m.bytes())));
    }
    return lr;
  }

  /** @return a 504 for {@code only-if-cached} without a usable stored response (RFC 9111 5.2.1.7) */
  static LocalResponse gatewayTimeout(CacheStatus status) {
    return LocalResponse.of(504, "only-if-cached and nothing stored to answer with")
        .header("Cache-Status", status.toString());
  }
}
