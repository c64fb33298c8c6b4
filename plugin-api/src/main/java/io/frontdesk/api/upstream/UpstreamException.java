package io.frontdesk.api.upstream;

/** A subrequest got no usable response; the message says why (and from which target). */
public final class UpstreamException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message why the subrequest failed */
  public UpstreamException(String message) {
    super(message, null, false, false);
  }
}
