package io.frontdesk.api.admin;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A request to a plugin's admin endpoint.
 *
 * @param method e.g. {@code POST}
 * @param path the path below {@code /api/v1/plugins/<plugin id>/}, e.g. {@code purge}
 * @param query the query parameters
 * @param body the JSON body, or {@code null} when there is none
 * @param actor who sends it (the account or token name), for the plugin's log
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query, JsonObject body,
    String actor) {
}
