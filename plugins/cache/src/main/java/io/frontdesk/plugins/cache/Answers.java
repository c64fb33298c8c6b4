package io.frontdesk.plugins.cache;

import io.frontdesk.api.filter.LocalResponse;
import io.frontdesk.api.http.HeaderFields;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Responses made from a stored response (RFC 9111 4): its status and fields, a fresh {@code Age},
 * this cache's {@code Cache-Status} member after any from caches nearer the origin, and its body —
 * after the client's preconditions (304, 412) and range (206, 416) are applied to it. {@code HEAD}
 * gets no body and the full length. A body on disk is streamed; its first part is read and checked
 * before the answer is made, so a body that does not check out fails the answer instead.
 */
final class Answers {

  /** Representation metadata a 304 leaves out (RFC 9110 15.4.5). */
  private static final Set<String> NOT_IN_304 = Set.of("content-type", "content-encoding", "content-language",
      "content-range", "content-md5");

  private Answers() {
  }

  /**
   * @param method the client's method (GET or HEAD)
   * @param request the client's fields (preconditions, range)
   * @param details why, for the access log
   */
  static Future<LocalResponse> of(StoredResponse r, long now, String method, HeaderFields request,
      CacheStatus status, String details, DiskTier disk, Context context) {
    StoredHead h = r.head();
    boolean head = method.equals("HEAD");
    switch (Preconditions.evaluate(h, request, true, now / 1000)) {
      case NOT_MODIFIED -> {
        LocalResponse lr = LocalResponse.of(304, details + ", not modified");
        fields(lr, h, now, status, NOT_IN_304);
        return Future.succeededFuture(lr);
      }
      case PRECONDITION_FAILED -> {
        return Future.succeededFuture(LocalResponse.of(412, details + ", precondition failed")
            .header("Cache-Status", status.toString()));
      }
      default -> {
      }
    }
    int s = h.status();
    long length = r.body().length();
    if (!head && s == 200 && request.contains("range") && ifRangeHolds(h, request.get("if-range"), now / 1000)) {
      List<ByteRanges.Range> ranges = ByteRanges.parse(request.get("range"), length);
      if (ranges != null && ranges.isEmpty()) {
        return Future.succeededFuture(LocalResponse.of(416, details + ", range not satisfiable")
            .header("Content-Range", "bytes */" + length).header("Cache-Status", status.toString()));
      }
      if (ranges != null && ranges.size() == 1 && r.body() instanceof Body.OnDisk d) {
        ByteRanges.Range one = ranges.get(0);
        LocalResponse lr = LocalResponse.of(206, details + ", partial");
        fields(lr, h, now, status, Set.of("content-range"));
        lr.header("Content-Range", "bytes " + one.first() + "-" + one.last() + "/" + length);
        return stream(lr, disk, d, context, one.first(), one.length());
      }
      if (ranges != null && r.body() instanceof Body.InMemory) {
        return Future.succeededFuture(partial(r, ranges, now, status, details));
      } // several ranges of a body on disk: the whole body instead (RFC 9110 14.2 allows it)
    }
    LocalResponse lr = LocalResponse.of(s, details);
    fields(lr, h, now, status, Set.of());
    boolean bodyless = s == 204 || s == 304;
    if (head || bodyless) {
      if (!bodyless) {
        lr.header("Content-Length", Long.toString(length));
      }
      return Future.succeededFuture(lr);
    }
    if (r.body() instanceof Body.OnDisk d) {
      return stream(lr, disk, d, context, 0, length);
    }
    return Future.succeededFuture(lr.body(slice(r.body(), 0, length)));
  }

  private static Future<LocalResponse> stream(LocalResponse lr, DiskTier disk, Body.OnDisk body, Context context,
      long from, long length) {
    if (disk == null) {
      return Future.failedFuture(new IllegalStateException("the disk tier is off"));
    }
    return DiskBodyStream.open(disk, body, context, from, length).map(s -> lr.body(s, length));
  }

  private static void fields(LocalResponse lr, StoredHead h, long now, CacheStatus status, Set<String> leftOut) {
    String[] f = h.headers();
    for (int i = 0; i < f.length; i += 2) {
      if (leftOut.isEmpty() || !leftOut.contains(f[i].toLowerCase(Locale.ROOT))) {
        lr.header(f[i], f[i + 1]);
      }
    }
    lr.header("Age", AgeCalculator.header(h.age(now)));
    lr.header("Cache-Status", status.toString());
  }

  /** RFC 9110 13.1.5: a range applies only while {@code If-Range}'s validator is the stored one (strongly). */
  private static boolean ifRangeHolds(StoredHead h, String ifRange, long nowSeconds) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/") || v.startsWith("w/")) {
      EntityTags.Tag want = EntityTags.parse(v);
      EntityTags.Tag have = EntityTags.parse(h.header("etag"));
      return want != null && have != null && want.strongMatch(have);
    }
    long date = HttpDate.parse(v, nowSeconds);
    long lm = HttpDate.parse(h.header("last-modified"), nowSeconds);
    long sent = HttpDate.parse(h.header("date"), nowSeconds);
    return date != HttpDate.INVALID && date == lm && sent != HttpDate.INVALID && sent - lm >= 1;
  }

  /** A 206: one range as is, several as {@code multipart/byteranges}. */
  private static LocalResponse partial(StoredResponse r, List<ByteRanges.Range> ranges, long now, CacheStatus status,
      String details) {
    StoredHead h = r.head();
    long length = r.body().length();
    LocalResponse lr = LocalResponse.of(206, details + ", partial");
    if (ranges.size() == 1) {
      ByteRanges.Range one = ranges.get(0);
      fields(lr, h, now, status, Set.of("content-range"));
      lr.header("Content-Range", "bytes " + one.first() + "-" + one.last() + "/" + length);
      return lr.body(slice(r.body(), one.first(), one.length()));
    }
    String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    String type = h.header("content-type");
    fields(lr, h, now, status, Set.of("content-type", "content-range"));
    lr.header("Content-Type", "multipart/byteranges; boundary=" + boundary);
    Buffer body = Buffer.buffer();
    for (ByteRanges.Range range : ranges) {
      StringBuilder part = new StringBuilder("\r\n--").append(boundary).append("\r\n");
      if (type != null) {
        part.append("Content-Type: ").append(type).append("\r\n");
      }
      part.append("Content-Range: bytes ").append(range.first()).append('-').append(range.last()).append('/')
          .append(length).append("\r\n\r\n");
      body.appendString(part.toString(), StandardCharsets.ISO_8859_1.name());
      body.appendBuffer(slice(r.body(), range.first(), range.length()));
    }
    body.appendString("\r\n--" + boundary + "--\r\n");
    return lr.body(body);
  }

  /** A view of the stored bytes; a wrapper of its own per answer (the writer releases what it sends). */
  private static Buffer slice(Body body, long from, long length) {
    if (length == 0) {
      return Buffer.buffer();
    }
    Body.InMemory m = (Body.InMemory) body;
    return BufferInternal.buffer(Unpooled.wrappedBuffer(m.bytes(), (int) from, (int) length));
  }

  /** @return a 504 for {@code only-if-cached} without a usable stored response (RFC 9111 5.2.1.7) */
  static LocalResponse gatewayTimeout(CacheStatus status) {
    return LocalResponse.of(504, "only-if-cached and nothing stored to answer with")
        .header("Cache-Status", status.toString());
  }
}
