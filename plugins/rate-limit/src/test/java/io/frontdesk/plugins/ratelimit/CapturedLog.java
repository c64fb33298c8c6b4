package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A log sink that keeps the access-log records it receives, for asserting on attributes. */
final class CapturedLog implements LogSinkFactory {

  final List<AccessLogRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public LogSink create(JsonObject config, PluginContext context) {
    return records::add;
  }

  /** @return the record of the request with {@code X-Request-Id} {@code requestId}, waiting for it a while */
  AccessLogRecord await(String requestId) {
    return await(r -> r.requestId().equals(requestId));
  }

  /** @return the first record that {@code matches}, waiting for it a while */
  AccessLogRecord await(java.util.function.Predicate<AccessLogRecord> matches) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (AccessLogRecord r : records) {
        if (matches.test(r)) {
          return r;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no such access-log record among " + records.size());
  }
}
