package io.frontdesk.api.filter;

import io.vertx.core.buffer.Buffer;

/**
 * Transforms a body as a stream of chunks, without holding it whole: compression, decompression,
 * scanning, teeing into a cache.
 *
 * <p>Called on the exchange's event loop, one chunk at a time, then {@link #finish()} once at the
 * end of the stream, or {@link #abort()} instead when the exchange ends early. Output is written as
 * soon as it is returned, so returning output for every chunk keeps streams such as server-sent
 * events incremental. Throw {@link LocalResponseException} to refuse the body (e.g. 413 for a
 * decompression bomb): the client gets that response if none has started yet, else the connection
 * is closed.
 */
public interface BodyTransformer {

  /**
   * @param chunk the next chunk; valid only during this call (copy what you keep)
   * @return output for this chunk, possibly empty
   */
  Buffer transform(Buffer chunk);

  /** @return the remaining output at the end of the body, possibly empty */
  Buffer finish();

  /** The exchange ended before the body did: release resources. */
  default void abort() {
  }

  /**
   * @return whether the output has exactly the input's bytes (a tee into a cache, a scanner): the
   *     body keeps its {@code Content-Length} when every transformer of the response says so;
   *     otherwise the length is removed and the body is sent chunked
   */
  default boolean preservesLength() {
    return false;
  }
}
