package io.frontdesk.api.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A plugin admin endpoint's answer: a status and a JSON body.
 *
 * @param body the JSON answer, or {@code null} for none (e.g. with 204)
 */
public record AdminResponse(int status, JsonObject body) {

  /** @return 200 with {@code body} */
  public static AdminResponse ok(JsonObject body) {
    return new AdminResponse(200, body);
  }

  /**
   * @return 400 in the admin API's error shape: {@code {"error": "invalid", "message", "errors":
   *     [{"field", "message"}]}}
   */
  public static AdminResponse invalid(String field, String message) {
    return new AdminResponse(400, new JsonObject().put("error", "invalid").put("message", field + " " + message)
        .put("errors", new JsonArray().add(new JsonObject().put("field", field).put("message", message))));
  }

  /** @return 404 for a path the plugin does not answer */
  public static AdminResponse notFound(String what) {
    return new AdminResponse(404, new JsonObject().put("error", "not_found").put("message", what));
  }
}
