package io.frontdesk.proxy;

import io.frontdesk.api.filter.BodyTransformer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body transformers filters added to one exchange, on the request side and the response side,
 * each run in the order they were added over every chunk, and told to finish at the last one.
 * Made only for exchanges whose filters add a transformer.
 */
final class BodyPipeline {

  private static final Logger log = LoggerFactory.getLogger(BodyPipeline.class);

  private List<BodyTransformer> request;
  private List<BodyTransformer> response;

  void addRequest(BodyTransformer t) {
    if (request == null) {
      request = new ArrayList<>(2);
    }
    request.add(t);
  }

  void addResponse(BodyTransformer t) {
    if (response == null) {
      response = new ArrayList<>(2);
    }
    response.add(t);
  }

  boolean transformsRequest() {
    return request != null;
  }

  boolean transformsResponse() {
    return response != null;
  }

  /** @return whether every response transformer keeps the body's bytes as they are (its length holds) */
  boolean preservesResponseLength() {
    if (response != null) {
      for (BodyTransformer t : response) {
        if (!t.preservesLength()) {
          return false;
        }
      }
    }
    return true;
  }

  /** @return {@code c} through the request transformers ({@code c} itself when there are none) */
  HttpContent request(HttpContent c) {
    return request == null ? c : transform(request, c);
  }

  /** @return {@code c} through the response transformers ({@code c} itself when there are none) */
  HttpContent response(HttpContent c) {
    return response == null ? c : transform(response, c);
  }

  /**
   * Runs {@code c} through {@code transformers} and releases it. The result is a copy: a transformer
   * may hand back (a slice of) its input.
   *
   * @throws RuntimeException what a transformer threw (the chunk is released all the same)
   */
  static HttpContent transform(List<BodyTransformer> transformers, HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    Buffer data = BufferInternal.buffer(c.content());
    ByteBuf bytes;
    try {
      for (BodyTransformer t : transformers) {
        Buffer out = t.transform(data);
        if (last) {
          Buffer tail = t.finish();
          if (tail != null && tail.length() > 0) {
            out = out == null ? tail : Buffer.buffer(out.length() + tail.length()).appendBuffer(out).appendBuffer(tail);
          }
        }
        data = out == null ? Buffer.buffer() : out;
      }
      bytes = Unpooled.copiedBuffer(((BufferInternal) data).getByteBuf());
    } finally {
      c.release();
    }
    return last ? new DefaultLastHttpContent(bytes, ((LastHttpContent) c).trailingHeaders())
        : new DefaultHttpContent(bytes);
  }

  /** The exchange ended before its bodies did: every transformer may let go of what it holds. */
  void abort() {
    abort(request);
    abort(response);
  }

  private static void abort(List<BodyTransformer> ts) {
    if (ts == null) {
      return;
    }
    for (BodyTransformer t : ts) {
      try {
        t.abort();
      } catch (RuntimeException e) {
        log.debug("aborting a body transformer failed", e);
      }
    }
  }
}
