package io.frontdesk.api.filter;

import java.util.Objects;

/** Thrown from a {@link BodyTransformer} to refuse a body with a response such as 413. */
public class LocalResponseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient LocalResponse response;

  /** @param response what the client gets if no response has started yet */
  public LocalResponseException(LocalResponse response) {
    super(Objects.requireNonNull(response, "response").details(), null, false, false);
    this.response = response;
  }

  /** @return the response to send */
  public LocalResponse response() {
    return response;
  }
}
