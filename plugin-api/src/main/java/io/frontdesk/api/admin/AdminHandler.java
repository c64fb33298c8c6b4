package io.frontdesk.api.admin;

import io.vertx.core.Future;

/**
 * Admin endpoints of a plugin: implemented by one of its extension objects (its filter factory,
 * say), it answers every request under {@code /api/v1/plugins/<plugin id>/} that Frontdesk's own
 * plugin endpoints ({@code bindings}, {@code enable}, {@code disable}) do not. Requests arrive
 * authenticated like the rest of the admin API (a viewer's changes are refused before they get
 * here), on an admin event loop: do not block.
 */
public interface AdminHandler {

  /** @return the answer; a failed future answers 500 */
  Future<AdminResponse> handle(AdminRequest request);
}
