package io.frontdesk.validation;

/** A resource looked up by id or name does not exist (answered as 404). */
public class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message, null, false, false);
  }
}
