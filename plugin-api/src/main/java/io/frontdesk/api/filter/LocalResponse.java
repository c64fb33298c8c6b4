package io.frontdesk.api.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A response a filter sends instead of the upstream's: a 403 from an access list, a 429 from a rate
 * limiter, a cached 200.
 *
 * <p>{@code details} says why, for the access log and the tracer; it is never sent to the client.
 * Without a body, an error status gets Frontdesk's standard error page (HTML or JSON by the
 * client's {@code Accept}). A body may be a buffer or a stream (for large cached entries); a stream
 * is read with back-pressure, and when the exchange ends before it does its handler is set to
 * {@code null}: the stream should then let go of what it holds (close its file).
 *
 * <p>A response without a body whose status forbids one (304, or any status to a {@code HEAD}
 * request) keeps a {@code Content-Length} header the filter gives it: the length the full response
 * has (RFC 9110 8.6).
 */
public final class LocalResponse {

  private final int status;
  private final String details;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private Buffer body;
  private ReadStream<Buffer> stream;
  private long streamLength = -1;

  private LocalResponse(int status, String details) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, was " + status);
    }
    this.status = status;
    this.details = Objects.requireNonNull(details, "details");
  }

  /**
   * @param status the HTTP status
   * @param details why the filter answered, e.g. {@code "denied by rule 'office-only'"}
   */
  public static LocalResponse of(int status, String details) {
    return new LocalResponse(status, details);
  }

  /** Adds a header. */
  public LocalResponse header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  /** Sets a complete body. */
  public LocalResponse body(Buffer body) {
    this.body = body;
    this.stream = null;
    return this;
  }

  /**
   * Sets a streamed body.
   *
   * @param length the body length, or -1 when unknown (sent chunked)
   */
  public LocalResponse body(ReadStream<Buffer> stream, long length) {
    this.stream = stream;
    this.streamLength = length;
    this.body = null;
    return this;
  }

  /** @return the status */
  public int status() {
    return status;
  }

  /** @return why the filter answered */
  public String details() {
    return details;
  }

  /** @return the headers in the order added */
  public List<Map.Entry<String, String>> headers() {
    return Collections.unmodifiableList(headers);
  }

  /** @return the complete body, or {@code null} */
  public Buffer body() {
    return body;
  }

  /** @return the streamed body, or {@code null} */
  public ReadStream<Buffer> stream() {
    return stream;
  }

  /** @return the streamed body's length, or -1 */
  public long streamLength() {
    return streamLength;
  }
}
