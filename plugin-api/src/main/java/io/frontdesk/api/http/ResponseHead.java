package io.frontdesk.api.http;

/** The status and headers of the response on its way to the client (mutable in the response phase). */
public interface ResponseHead {

  /** @return the status code */
  int status();

  /** Changes the status code sent to the client. */
  void status(int status);

  /** @return the response headers */
  Headers headers();

  /**
   * @return whether this response came from the upstream; {@code false} when Frontdesk made it (an
   *     error such as 502 for an unreachable target or 504 for a slow one) or a filter answered or
   *     replaced it
   */
  default boolean fromUpstream() {
    return true;
  }
}
