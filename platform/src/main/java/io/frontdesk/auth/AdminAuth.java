package io.frontdesk.auth;

import io.frontdesk.config.ConflictException;
import io.frontdesk.config.FieldError;
import io.frontdesk.config.InvalidConfigException;
import io.frontdesk.config.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts, sessions and API tokens of the admin server, kept in PostgreSQL so that every node
 * sharing the database accepts the same sign-ins. Secrets (session ids, tokens) are stored only
 * as SHA-256; passwords as {@link PasswordHash PBKDF2}. Hashing runs on worker threads.
 */
public final class AdminAuth {

  public static final String TOKEN_PREFIX = "fdt_";
  static final int MIN_PASSWORD = 12;
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");
  /** A real hash of nothing, checked against when an account does not exist (same time either way). */
  private static final class Dummy {
    static final String HASH = PasswordHash.hash(PasswordHash.randomSecret(12)); // made on first use, off the loop
  }

  /** A new session: the cookie value is shown to the browser once. */
  public record Session(String cookie, String csrfToken, Principal principal) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String bootstrapToken;
  private final Duration idle;
  private final Duration absolute;
  private final LoginThrottle throttle = new LoginThrottle();

  /**
   * @param bootstrapToken {@code FRONTDESK_ADMIN_TOKEN}: accepted as an admin token; empty for none
   */
  public AdminAuth(Vertx vertx, Pool pool, String bootstrapToken, Duration idle, Duration absolute) {
    this.vertx = vertx;
    this.pool = pool;
    this.bootstrapToken = bootstrapToken == null ? "" : bootstrapToken;
    this.idle = idle;
    this.absolute = absolute;
  }

  public Duration idleTimeout() {
    return idle;
  }

  /**
   * Makes the first account, {@code admin}, when there is none.
   *
   * @param password the operator's choice ({@code FRONTDESK_ADMIN_PASSWORD}); empty for a random one
   * @return the random password to show once, or {@code null} (chosen, or accounts exist already)
   */
  public Future<String> ensureFirstAdmin(String password) {
    return pool.query("SELECT count(*) FROM admin_users").execute().compose(rs -> {
      if (rs.iterator().next().getLong(0) > 0) {
        return Future.succeededFuture(null);
      }
      boolean generated = password == null || password.isEmpty();
      String pw = generated ? PasswordHash.randomSecret(15) : password;
      return vertx.executeBlocking(() -> PasswordHash.hash(pw), false)
          // Several nodes may start at once on an empty database: one of them makes the account.
          .compose(hash -> pool.preparedQuery("INSERT INTO admin_users (name, password_hash, role) "
              + "SELECT 'admin', $1, 'admin' WHERE NOT EXISTS (SELECT 1 FROM admin_users) ON CONFLICT DO NOTHING")
              .execute(Tuple.of(hash)))
          .map(r -> r.rowCount() == 1 && generated ? pw : null);
    });
  }

  /** @return who the credentials belong to, or {@code null} (none, unknown, expired) */
  public Future<Principal> authenticate(String authorization, String sessionCookie) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!bootstrapToken.isEmpty() && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          bootstrapToken.getBytes(StandardCharsets.UTF_8))) {
        return Future.succeededFuture(new Principal("admin-token", Principal.Role.ADMIN, null));
      }
      if (!token.startsWith(TOKEN_PREFIX)) {
        return Future.succeededFuture(null);
      }
      return pool.preparedQuery("UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 RETURNING name, role")
          .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(token))))
          .map(rs -> rs.size() == 0 ? null : principal("token:" + rs.iterator().next().getString(0),
              rs.iterator().next().getString(1), null));
    }
    if (sessionCookie != null && !sessionCookie.isEmpty()) {
      return pool.preparedQuery("UPDATE admin_sessions s SET last_seen = now() FROM admin_users u "
          + "WHERE s.token_hash = $1 AND u.id = s.user_id AND s.last_seen > now() - make_interval(secs => $2) "
          + "AND s.created_at > now() - make_interval(secs => $3) RETURNING u.name, u.role, s.csrf_token")
          .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(sessionCookie)), (double) idle.toSeconds(),
              (double) absolute.toSeconds()))
          .map(rs -> {
            if (rs.size() == 0) {
              return null;
            }
            Row r = rs.iterator().next();
            return principal(r.getString(0), r.getString(1), r.getString(2));
          });
    }
    return Future.succeededFuture(null);
  }

  private static Principal principal(String name, String role, String csrf) {
    return new Principal(name, Principal.Role.of(role), csrf);
  }

  /** Thrown when sign-ins from this address or for this account are paused. */
  public static final class Throttled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final long retryAfterMillis;

    Throttled(long retryAfterMillis) {
      super("too many failed sign-ins; try again in " + Math.max(1, retryAfterMillis / 1000) + " s", null, false, false);
      this.retryAfterMillis = retryAfterMillis;
    }
  }

  /** @return the new session, or a failed future: {@link Throttled}, or {@code null} result for bad credentials */
  public Future<Session> login(String name, String password, String clientIp) {
    long now = System.currentTimeMillis();
    long wait = throttle.retryAfterMillis(clientIp, name, now);
    if (wait > 0) {
      return Future.failedFuture(new Throttled(wait));
    }
    return pool.preparedQuery("SELECT id, password_hash, role FROM admin_users WHERE name = $1").execute(Tuple.of(name))
        .compose(rs -> {
          Row u = rs.size() == 0 ? null : rs.iterator().next();
          String stored = u == null ? null : u.getString(1);
          return vertx.executeBlocking(() -> PasswordHash.verify(password, stored == null ? Dummy.HASH : stored), false)
              .compose(ok -> session(ok && u != null ? u : null, name, clientIp));
        });
  }

  /** @param u the account whose password matched, or {@code null} after a failed check */
  private Future<Session> session(Row u, String name, String clientIp) {
    if (u == null) {
      throttle.failed(clientIp, name, System.currentTimeMillis());
      return Future.succeededFuture(null);
    }
    throttle.succeeded(clientIp, name);
    String cookie = PasswordHash.randomSecret(32);
    String csrf = PasswordHash.randomSecret(24);
    return pool.preparedQuery("INSERT INTO admin_sessions (token_hash, user_id, csrf_token) VALUES ($1, $2, $3)")
        .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(cookie)), u.getUUID(0), csrf))
        .map(x -> new Session(cookie, csrf, principal(name, u.getString(2), csrf)));
  }

  public Future<Void> logout(String sessionCookie) {
    if (sessionCookie == null || sessionCookie.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("DELETE FROM admin_sessions WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(sessionCookie)))).mapEmpty();
  }

  // --- Accounts.

  public Future<JsonArray> listUsers() {
    return pool.query("SELECT id, name, role, created_at FROM admin_users ORDER BY name").execute().map(rs -> {
      JsonArray a = new JsonArray();
      rs.forEach(r -> a.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
          .put("role", r.getString(2)).put("createdAt", r.getOffsetDateTime(3).toString())));
      return a;
    });
  }

  /** Creates an account; input errors are a 400 listing every field. */
  public Future<JsonObject> createUser(JsonObject in) {
    List<FieldError> errors = new ArrayList<>();
    String name = in.getValue("name") instanceof String s ? s : null;
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1-64 letters, digits, '.', '_', '@' or '-'"));
    }
    String role = role(in.getValue("role", "viewer"), errors);
    String password = password(in.getValue("password"), "password", errors);
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    return vertx.executeBlocking(() -> PasswordHash.hash(password), false)
        .compose(hash -> pool.preparedQuery("INSERT INTO admin_users (name, password_hash, role) VALUES ($1, $2, $3) "
            + "RETURNING id").execute(Tuple.of(name, hash, role)))
        .map(rs -> new JsonObject().put("id", rs.iterator().next().getUUID(0).toString()).put("name", name)
            .put("role", role))
        .recover(t -> Future.failedFuture(unique(t, "name", "an account named '" + name + "' exists")));
  }

  /** Changes an account's role and/or password ({@code {"role": …, "password": …}}); ends its sessions on a new password. */
  public Future<Void> updateUser(String name, JsonObject in) {
    List<FieldError> errors = new ArrayList<>();
    String role = in.containsKey("role") ? role(in.getValue("role"), errors) : null;
    String password = in.containsKey("password") ? password(in.getValue("password"), "password", errors) : null;
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    Future<String> hash = password == null ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> PasswordHash.hash(password), false);
    return hash.compose(h -> pool.withTransaction(c -> c.preparedQuery("UPDATE admin_users SET "
            + "role = coalesce($2, role), password_hash = coalesce($3, password_hash), updated_at = now() "
            + "WHERE name = $1 RETURNING id").execute(Tuple.of(name, role, h))
        .compose(rs -> {
          if (rs.size() == 0) {
            return Future.failedFuture(new NotFoundException("no account named '" + name + "'"));
          }
          return lastAdminCheck(c).compose(x -> h == null ? Future.succeededFuture()
              : c.preparedQuery("DELETE FROM admin_sessions WHERE user_id = $1")
                  .execute(Tuple.of(rs.iterator().next().getUUID(0))).mapEmpty());
        })));
  }

  /** Checks {@code current} and sets {@code password} for the signed-in account. */
  public Future<Void> changeOwnPassword(String name, String current, Object password) {
    List<FieldError> errors = new ArrayList<>();
    String pw = password(password, "password", errors);
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    return pool.preparedQuery("SELECT password_hash FROM admin_users WHERE name = $1").execute(Tuple.of(name))
        .compose(rs -> rs.size() == 0 ? Future.failedFuture(new NotFoundException("no account named '" + name + "'"))
            : vertx.executeBlocking(() -> current != null && PasswordHash.verify(current, rs.iterator().next().getString(0)),
                false))
        .compose(ok -> ok ? updateUser(name, new JsonObject().put("password", pw))
            : Future.failedFuture(new InvalidConfigException("current", "is not the current password")));
  }

  public Future<Void> deleteUser(String name) {
    return pool.withTransaction(c -> c.preparedQuery("DELETE FROM admin_users WHERE name = $1").execute(Tuple.of(name))
        .compose(rs -> rs.rowCount() == 0
            ? Future.failedFuture(new NotFoundException("no account named '" + name + "'"))
            : lastAdminCheck(c)));
  }

  /** Refuses (rolling back) a change that leaves no admin account: nobody could sign in to fix it. */
  private static Future<Void> lastAdminCheck(io.vertx.sqlclient.SqlConnection c) {
    return c.query("SELECT count(*) FROM admin_users WHERE role = 'admin'").execute().compose(rs ->
        rs.iterator().next().getLong(0) > 0 ? Future.succeededFuture()
            : Future.failedFuture(new ConflictException("role", "the last admin account cannot be removed or demoted")));
  }

  // --- API tokens.

  public Future<JsonArray> listTokens() {
    return pool.query("SELECT id, name, role, created_by, created_at, last_used_at FROM api_tokens ORDER BY name")
        .execute().map(rs -> {
          JsonArray a = new JsonArray();
          rs.forEach(r -> a.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
              .put("role", r.getString(2)).put("createdBy", r.getString(3))
              .put("createdAt", r.getOffsetDateTime(4).toString())
              .put("lastUsedAt", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toString())));
          return a;
        });
  }

  /** @return the token's description with its secret ({@code token}), shown this once */
  public Future<JsonObject> createToken(JsonObject in, String createdBy) {
    List<FieldError> errors = new ArrayList<>();
    String name = in.getValue("name") instanceof String s ? s : null;
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1-64 letters, digits, '.', '_', '@' or '-'"));
    }
    String role = role(in.getValue("role", "viewer"), errors);
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    String token = TOKEN_PREFIX + PasswordHash.randomSecret(32);
    return pool.preparedQuery("INSERT INTO api_tokens (name, token_hash, role, created_by) VALUES ($1, $2, $3, $4) "
            + "RETURNING id").execute(Tuple.of(name, Buffer.buffer(PasswordHash.sha256(token)), role, createdBy))
        .map(rs -> new JsonObject().put("id", rs.iterator().next().getUUID(0).toString()).put("name", name)
            .put("role", role).put("token", token))
        .recover(t -> Future.failedFuture(unique(t, "name", "a token named '" + name + "' exists")));
  }

  public Future<Void> deleteToken(String idOrName) {
    UUID id = null;
    try {
      id = UUID.fromString(idOrName);
    } catch (IllegalArgumentException notAnId) {
      // a name
    }
    return pool.preparedQuery("DELETE FROM api_tokens WHERE id = $1 OR name = $2").execute(Tuple.of(id, idOrName))
        .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(new NotFoundException("no token '" + idOrName + "'"))
            : Future.succeededFuture());
  }

  private static String role(Object v, List<FieldError> errors) {
    if (!"admin".equals(v) && !"viewer".equals(v)) {
      errors.add(new FieldError("role", "must be admin or viewer"));
      return null;
    }
    return (String) v;
  }

  private static String password(Object v, String field, List<FieldError> errors) {
    if (!(v instanceof String s) || s.length() < MIN_PASSWORD || s.length() > 1024) {
      errors.add(new FieldError(field, "must be a string of " + MIN_PASSWORD + " to 1024 characters"));
      return null;
    }
    return s;
  }

  private static Throwable unique(Throwable t, String field, String message) {
    return t instanceof PgException pg && "23505".equals(pg.getSqlState()) ? new ConflictException(field, message) : t;
  }
}
