package io.frontdesk.plugins.cache;

import io.frontdesk.api.filter.BodyTransformer;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Passes a response body to the client unchanged while copying it for the store; once the body
 * has ended whole, hands the stored response over. A body that grows past the largest object is
 * let go (the client still gets all of it); a body cut short is never stored.
 */
final class StoreTee implements BodyTransformer {

  private final StoredHead head;
  private final long maxBytes;
  private final Consumer<StoredResponse> onStored;
  private final Runnable onAbandoned;
  private byte[] bytes;
  private int size;
  private boolean abandoned;

  /**
   * @param expectedLength the body's {@code Content-Length}, or -1
   * @param onStored gets the stored response when the body has ended whole
   * @param onAbandoned runs when it will not be stored (too large, or cut short)
   */
  StoreTee(StoredHead head, long expectedLength, long maxBytes, Consumer<StoredResponse> onStored,
      Runnable onAbandoned) {
    this.head = head;
    this.maxBytes = maxBytes;
    this.onStored = onStored;
    this.onAbandoned = onAbandoned;
    this.bytes = new byte[(int) Math.min(maxBytes, expectedLength >= 0 ? expectedLength : 8192)];
  }

  @Override
  public Buffer transform(Buffer chunk) {
    if (!abandoned) {
      int n = chunk.length();
      if ((long) size + n > maxBytes) {
        abandon();
      } else {
        if (size + n > bytes.length) {
          bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max((long) size + n, 2L * bytes.length)));
        }
        chunk.getBytes(0, n, bytes, size);
        size += n;
      }
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (!abandoned) {
      byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
      bytes = null;
      onStored.accept(new StoredResponse(head, size == 0 ? Body.InMemory.EMPTY : new Body.InMemory(body)));
    }
    return Buffer.buffer();
  }

  @Override
  public void abort() {
    if (!abandoned) {
      abandon();
    }
  }

  private void abandon() {
    abandoned = true;
    bytes = null;
    onAbandoned.run();
  }

  @Override
  public boolean preservesLength() {
    return true;
  }
}
