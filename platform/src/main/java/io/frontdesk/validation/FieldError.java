package io.frontdesk.validation;

import io.vertx.core.json.JsonObject;

/**
 * One problem with one field of a request, e.g. {@code targets[0].port: must be at most 65535}.
 *
 * @param field a path into the resource ({@code name}, {@code match.pathRegex}, {@code targets[1].port}),
 *     or empty for the resource as a whole
 * @param message what is wrong and, where it helps, how to fix it
 */
public record FieldError(String field, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }
}
