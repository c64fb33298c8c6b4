package io.frontdesk.api.http;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * The start of a request body, read before the filters decided (see {@link
 * io.frontdesk.api.exchange.Exchange#readRequestBody}). The body still goes upstream whole, streamed
 * on from what was read; this is a read-only copy.
 */
public final class RequestBody {

  /** The most a filter may read before deciding: 16 MiB. */
  public static final int MAX_READ_BYTES = 16 << 20;

  private final Buffer bytes;
  private final boolean complete;

  private RequestBody(Buffer bytes, boolean complete) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.complete = complete;
  }

  /**
   * @param bytes the body bytes read
   * @param complete whether they are the whole body
   */
  public static RequestBody of(Buffer bytes, boolean complete) {
    return new RequestBody(bytes, complete);
  }

  /** @return the body when {@link #complete()}, otherwise its first bytes, as many as the limit asked */
  public Buffer bytes() {
    return bytes;
  }

  /**
   * @return whether {@link #bytes()} is the whole body; {@code false} when the body is longer than
   *     the limit the filter named: the filter decides (answer 413, or let the request pass unread)
   */
  public boolean complete() {
    return complete;
  }
}
