package io.frontdesk.plugins.loghttp;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One batch in flight at a time, so records arrive in order; back-off after failures. */
final class HttpLogSink implements LogSink {

  private static final Logger log = LoggerFactory.getLogger(HttpLogSink.class);

  private final Vertx vertx;
  private final URI url;
  private final String format;
  private final String index;
  private final int batchSize;
  private final int maxBuffer;
  private final int timeoutMs;
  private final JsonObject headers;
  private final HttpClient client;
  private final ArrayDeque<AccessLogRecord> buffer = new ArrayDeque<>();
  private final long timer;
  private final List<Promise<Void>> waiting = new ArrayList<>();
  private List<AccessLogRecord> inFlight;
  private long backoffMs;
  private long retryAt;
  private final AtomicLong dropped = new AtomicLong();
  private long sent;

  HttpLogSink(Vertx vertx, URI url, String format, String index, int batchSize, int flushIntervalMs, int maxBuffer,
      int timeoutMs, JsonObject headers) {
    this.vertx = vertx;
    this.url = url;
    this.format = format;
    this.index = index;
    this.batchSize = batchSize;
    this.maxBuffer = maxBuffer;
    this.timeoutMs = timeoutMs;
    this.headers = headers.copy();
    this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(url.getScheme().equals("https"))
        .setConnectTimeout(timeoutMs).setKeepAlive(true));
    this.timer = vertx.setPeriodic(flushIntervalMs, id -> send());
  }

  @Override
  public void accept(AccessLogRecord r) {
    if (buffer.size() >= maxBuffer) {
      buffer.poll(); // the oldest goes first
      long d = dropped.incrementAndGet();
      if (d == 1 || d % 10_000 == 0) {
        log.warn("log-http: buffer full, {} records dropped so far ({} unreachable?)", d, url);
      }
    }
    buffer.add(r);
    if (buffer.size() >= batchSize) {
      send();
    }
  }

  private void send() {
    if (inFlight != null || System.currentTimeMillis() < retryAt) {
      return;
    }
    if (buffer.isEmpty()) {
      waiting.forEach(Promise::tryComplete);
      waiting.clear();
      return;
    }
    List<AccessLogRecord> batch = new ArrayList<>(Math.min(batchSize, buffer.size()));
    while (batch.size() < batchSize && !buffer.isEmpty()) {
      batch.add(buffer.poll());
    }
    inFlight = batch;
    int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(port)
        .setURI(path).setIdleTimeout(timeoutMs)
        .putHeader("content-type", format.equals("json") ? "application/json" : "application/x-ndjson");
    headers.forEach(e -> o.putHeader(e.getKey(), String.valueOf(e.getValue())));
    client.request(o).compose(req -> req.send(body(batch))).compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          inFlight = null;
          int status = ar.succeeded() ? ar.result() : -1;
          if (status >= 200 && status < 300) {
            sent += batch.size();
            backoffMs = 0;
            retryAt = 0;
            send(); // more may be waiting
            return;
          }
          if (status >= 400 && status < 500 && status != 408 && status != 429) {
            dropped.addAndGet(batch.size());
            log.warn("log-http: {} refused a batch of {} with {}; dropped", url, batch.size(), status);
            send();
            return;
          }
          // Put the batch back in front and try again later; if that overflows, the oldest go.
          for (int i = batch.size() - 1; i >= 0; i--) {
            buffer.addFirst(batch.get(i));
          }
          while (buffer.size() > maxBuffer) {
            buffer.pollFirst();
            dropped.incrementAndGet();
          }
          backoffMs = backoffMs == 0 ? 500 : Math.min(backoffMs * 2, 30_000);
          retryAt = System.currentTimeMillis() + backoffMs;
          log.debug("log-http: sending to {} failed ({}); retrying in {} ms", url,
              ar.succeeded() ? "status " + status : ar.cause().getMessage(), backoffMs);
        });
  }

  private Buffer body(List<AccessLogRecord> batch) {
    Buffer b = Buffer.buffer(batch.size() * 400);
    switch (format) {
      case "elasticsearch" -> {
        String action = new JsonObject().put("index", new JsonObject().put("_index", index)).encode() + "\n";
        batch.forEach(r -> b.appendString(action).appendString(r.toJson().encode()).appendString("\n"));
      }
      case "json" -> {
        b.appendString("[");
        for (int i = 0; i < batch.size(); i++) {
          b.appendString(i == 0 ? "" : ",").appendString(batch.get(i).toJson().encode());
        }
        b.appendString("]");
      }
      default -> batch.forEach(r -> b.appendString(r.toJson().encode()).appendString("\n"));
    }
    return b;
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public Future<Void> flush() {
    Promise<Void> p = Promise.promise();
    waiting.add(p);
    retryAt = 0;
    send();
    return p.future();
  }

  @Override
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    Promise<Void> done = Promise.promise();
    flush().onComplete(ar -> done.tryComplete());
    vertx.setTimer(timeoutMs, id -> done.tryComplete());
    return done.future().eventually(() -> {
      if (dropped.get() > 0 || !buffer.isEmpty()) {
        log.warn("log-http: closing with {} records dropped and {} unsent ({} sent)", dropped.get(), buffer.size(), sent);
      }
      return client.close();
    });
  }
}
