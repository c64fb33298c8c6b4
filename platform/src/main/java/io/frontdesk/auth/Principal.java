package io.frontdesk.auth;

/**
 * Who makes an admin request.
 *
 * @param name the account or token name (recorded as the actor of config changes)
 * @param role what it may do
 * @param csrfToken the session's CSRF token; {@code null} for bearer tokens, which browsers never
 *     send on their own
 * @param accountId the account acting (a session's account, or the account that made the token);
 *     {@code null} for the bootstrap token and tokens it made
 */
public record Principal(String name, Role role, String csrfToken, java.util.UUID accountId) {

  public Principal(String name, Role role, String csrfToken) {
    this(name, role, csrfToken, null);
  }

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
