package io.frontdesk.admin;

import io.vertx.core.json.JsonObject;

/** RFC 7396 JSON Merge Patch: what PATCH requests send. */
final class JsonMergePatch {

  private JsonMergePatch() {
  }

  static Object apply(Object target, Object patch) {
    if (!(patch instanceof JsonObject p)) {
      return patch;
    }
    JsonObject result = target instanceof JsonObject t ? t.copy() : new JsonObject();
    for (String key : p.fieldNames()) {
      Object v = p.getValue(key);
      if (v == null) {
        result.remove(key);
      } else {
        result.put(key, apply(result.getValue(key), v));
      }
    }
    return result;
  }
}
