package io.frontdesk.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Input that can never be valid as sent (answered as 400 with the field errors). */
public class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public InvalidConfigException(List<FieldError> errors) {
    super(errors.stream().map(e -> e.field().isEmpty() ? e.message() : e.field() + ": " + e.message())
        .collect(Collectors.joining("; ")), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public InvalidConfigException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
