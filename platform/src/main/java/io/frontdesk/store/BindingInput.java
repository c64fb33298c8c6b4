package io.frontdesk.store;

import io.frontdesk.config.PluginBinding;
import io.vertx.core.json.JsonObject;

/**
 * A plugin binding as a write receives it: its site or route is still a name or id (none for a
 * global binding), resolved inside the write's transaction.
 *
 * @param spec the checked binding: config, priority, enabled, failOpen, kind
 */
public record BindingInput(PluginBinding.Scope scope, String targetRef, JsonObject spec) {
}
