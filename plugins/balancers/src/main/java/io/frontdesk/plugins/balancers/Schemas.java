package io.frontdesk.plugins.balancers;

import io.vertx.core.json.JsonObject;

/** Shared bits of the algorithms' configuration schemas. */
final class Schemas {

  private Schemas() {
  }

  /** An algorithm without options. */
  static JsonObject empty() {
    return new JsonObject().put("type", "object").put("additionalProperties", false);
  }
}
