package io.frontdesk.validation;

import java.util.List;

/**
 * A well-formed change that clashes with the stored configuration: a name or host already taken,
 * a reference to something missing, a deletion of something still in use (answered as 409).
 */
public class ConflictException extends InvalidConfigException {

  private static final long serialVersionUID = 1L;

  public ConflictException(String field, String message) {
    super(List.of(new FieldError(field, message)));
  }

  public ConflictException(List<FieldError> errors) {
    super(errors);
  }
}
