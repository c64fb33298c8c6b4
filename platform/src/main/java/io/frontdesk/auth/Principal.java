package io.frontdesk.auth;

/**
 * Who makes an admin request.
 *
 * @param name the account or token name (recorded as the actor of config changes)
 * @param role what it may do
 * @param csrfToken the session's CSRF token; {@code null} for bearer tokens, which browsers never
 *     send on their own
 */
public record Principal(String name, Role role, String csrfToken) {

  /** admin edits; viewer reads. */
  public enum Role {
    ADMIN, VIEWER;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role of(String id) {
      return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public boolean isSession() {
    return csrfToken != null;
  }
}
