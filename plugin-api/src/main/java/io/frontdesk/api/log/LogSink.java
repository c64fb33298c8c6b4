package io.frontdesk.api.log;

import io.vertx.core.Future;

/**
 * Receives access-log records to ship elsewhere (a file, syslog, an HTTP collector).
 *
 * <p>The host calls {@link #accept} on a Vert.x context of the sink's own, never on a proxy event
 * loop, from a bounded queue: a sink that falls behind loses records (counted), never slows
 * traffic. {@code accept} must not block; do blocking I/O with {@code executeBlocking} or an async
 * client, and keep an own bounded buffer.
 */
public interface LogSink {

  /** Takes one record. */
  void accept(AccessLogRecord record);

  /**
   * @return records this sink took but could not deliver and gave up on (buffer full, refused by
   *     the peer); shown with the host's own counters. May be called from any thread.
   */
  default long dropped() {
    return 0;
  }

  /** Writes out what is buffered. */
  default Future<Void> flush() {
    return Future.succeededFuture();
  }

  /** Flushes and releases resources; the sink receives nothing afterwards. */
  default Future<Void> close() {
    return flush();
  }
}
