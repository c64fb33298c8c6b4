package io.frontdesk.plugins.cache;

import io.frontdesk.api.filter.BodyTransformer;
import io.vertx.core.buffer.Buffer;

/**
 * Passes a response body to the client unchanged while copying it into a {@link Fill}; once the
 * body has ended whole, the stored response goes to the store. A body that grows past the largest
 * object, or is cut short, fails the fill (the client still gets what the origin sends).
 */
final class StoreTee implements BodyTransformer {

  private final Fill fill;
  private final long maxBytes;
  private long size;
  private boolean over;

  /** @param fill a fill the zone stores when it is done ({@link Zone#newFill}, {@link Zone#startFill}) */
  StoreTee(Fill fill, long maxBytes) {
    this.fill = fill;
    this.maxBytes = maxBytes;
  }

  @Override
  public Buffer transform(Buffer chunk) {
    if (!over) {
      int n = chunk.length();
      if (size + n > maxBytes) {
        over = true;
        fill.fail();
      } else if (n > 0) {
        size += n;
        fill.append(chunk.getBytes());
      }
    }
    return chunk;
  }

  @Override
  public Buffer finish() {
    if (!over) {
      fill.complete(); // in memory: done now; spilled to disk: done once its file is written
    }
    return Buffer.buffer();
  }

  @Override
  public void abort() {
    fill.fail();
  }

  @Override
  public boolean preservesLength() {
    return true;
  }
}
