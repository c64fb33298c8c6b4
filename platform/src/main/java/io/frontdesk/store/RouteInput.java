package io.frontdesk.store;

import io.vertx.core.json.JsonObject;

/**
 * A route as a write receives it: its site and upstream are still names or ids, resolved inside
 * the write's transaction (a missing one is a 409).
 *
 * @param spec the checked route without name and references
 */
public record RouteInput(String name, String siteRef, String upstreamRef, JsonObject spec) {
}
