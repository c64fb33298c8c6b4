package io.frontdesk.auth;

import io.frontdesk.validation.ConflictException;
import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts, sessions and API tokens of the admin server, kept in PostgreSQL so that every node
 * sharing the database accepts the same sign-ins. Secrets (session ids, tokens) are stored only
 * as SHA-256; passwords as {@link PasswordHash PBKDF2}. Hashing runs on its own small pool of
 * worker threads, so a burst of sign-ins cannot take the shared worker pool from everything else.
 */
public final class AdminAuth {

  public static final String TOKEN_PREFIX = "fdt_";
  static final int MIN_PASSWORD = 12;
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");
  static final int MAX_PASSWORD = 1024;
  /** Threads that run PBKDF2 (each check takes a core for a few hundred ms). */
  static final int HASH_THREADS = 2;
  static final String HASH_POOL = "frontdesk-password-hash";
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
  private final LoginThrottle throttle;
  private final WorkerExecutor hashing;
  private long cleanupTimer = -1;

  /**
   * @param bootstrapToken {@code FRONTDESK_ADMIN_TOKEN}: accepted as an admin token; empty for none
   */
  public AdminAuth(Vertx vertx, Pool pool, String bootstrapToken, Duration idle, Duration absolute) {
    this(vertx, pool, bootstrapToken, idle, absolute, LoginThrottle.Limits.DEFAULT);
  }

  public AdminAuth(Vertx vertx, Pool pool, String bootstrapToken, Duration idle, Duration absolute,
      LoginThrottle.Limits throttleLimits) {
    this.vertx = vertx;
    this.throttle = new LoginThrottle(throttleLimits);
    this.hashing = vertx.createSharedWorkerExecutor(HASH_POOL, HASH_THREADS);
    this.pool = pool;
    this.bootstrapToken = bootstrapToken == null ? "" : bootstrapToken;
    this.idle = idle;
    this.absolute = absolute;
  }

  public Duration idleTimeout() {
    return idle;
  }

  /** Runs slow password work on the hashing threads. */
  <T> Future<T> onHashPool(java.util.concurrent.Callable<T> work) {
    return hashing.executeBlocking(work, false);
  }

  /** @return how many entries the sign-in throttle holds now */
  public int throttleSize() {
    return throttle.size();
  }

  /**
   * Deletes ended sessions (idle or past their absolute lifetime) now and every
   * {@code every}: an ended session already opens nothing, this keeps the table small.
   */
  public void startCleanup(Duration every) {
    deleteEndedSessions();
    cleanupTimer = vertx.setPeriodic(every.toMillis(), t -> deleteEndedSessions());
  }

  /** {@link #startCleanup(Duration)} at half the idle timeout, between 1 s and 5 min. */
  public void startCleanup() {
    long half = Math.max(1000, Math.min(300_000, idle.toMillis() / 2));
    startCleanup(Duration.ofMillis(half));
  }

  /** @return how many ended sessions were deleted */
  public Future<Integer> deleteEndedSessions() {
    return pool.preparedQuery("DELETE FROM admin_sessions WHERE last_seen <= now() - make_interval(secs => $1) "
            + "OR created_at <= now() - make_interval(secs => $2)")
        .execute(Tuple.of((double) idle.toSeconds(), (double) absolute.toSeconds()))
        .map(io.vertx.sqlclient.SqlResult::rowCount);
  }

  public void close() {
    if (cleanupTimer >= 0) {
      vertx.cancelTimer(cleanupTimer);
    }
    hashing.close();
  }

  /**
   * What {@link #ensureFirstAdmin} did.
   *
   * @param created whether this call made the account (the database's first start)
   * @param generatedPassword the random password to show once, or {@code null} (chosen by the
   *     operator, or the account existed already)
   */
  public record FirstAdmin(boolean created, String generatedPassword) {
  }

  /** The API token the first start makes for scripts and the console's first-site example. */
  public static final String FIRST_START_TOKEN = "first-start";

  /**
   * Makes the first account, {@code admin}, when there is none.
   *
   * @param password the operator's choice ({@code FRONTDESK_ADMIN_PASSWORD}); empty for a random one
   */
  public Future<FirstAdmin> ensureFirstAdmin(String password) {
    return pool.query("SELECT count(*) FROM admin_users").execute().compose(rs -> {
      if (rs.iterator().next().getLong(0) > 0) {
        return Future.succeededFuture(new FirstAdmin(false, null));
      }
      boolean generated = password == null || password.isEmpty();
      String pw = generated ? PasswordHash.randomSecret(15) : password;
      return onHashPool(() -> PasswordHash.hash(pw))
          // Several nodes may start at once on an empty database: one of them makes the account.
          .compose(hash -> pool.preparedQuery("INSERT INTO admin_users (name, password_hash, role) "
              + "SELECT 'admin', $1, 'admin' WHERE NOT EXISTS (SELECT 1 FROM admin_users) ON CONFLICT DO NOTHING")
              .execute(Tuple.of(hash)))
          .map(r -> r.rowCount() == 1 ? new FirstAdmin(true, generated ? pw : null) : new FirstAdmin(false, null));
    });
  }

  /**
   * Makes the admin API token {@value #FIRST_START_TOKEN}, owned by the account {@code admin} (so it
   * never does more than that account may), stored as its SHA-256 like every token.
   *
   * @return the token, to show once; {@code null} when a token of that name exists already
   */
  public Future<String> createFirstStartToken() {
    String token = TOKEN_PREFIX + PasswordHash.randomSecret(32);
    return pool.preparedQuery("INSERT INTO api_tokens (name, token_hash, role, created_by, creator_id) "
            + "SELECT $1, $2, 'admin', name, id FROM admin_users WHERE name = 'admin' ON CONFLICT DO NOTHING")
        .execute(Tuple.of(FIRST_START_TOKEN, Buffer.buffer(PasswordHash.sha256(token))))
        .map(r -> r.rowCount() == 1 ? token : null);
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
      // A token never does more than the account that made it may do now: an admin token stops
      // working when its creator loses the admin role, and deleting the account deletes its tokens;
      // an expired token opens nothing.
      return pool.preparedQuery("UPDATE api_tokens t SET last_used_at = now() WHERE token_hash = $1 "
              + "AND (expires_at IS NULL OR expires_at > now()) RETURNING name, role, creator_id, "
              + "(SELECT u.role FROM admin_users u WHERE u.id = t.creator_id)")
          .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(token))))
          .map(rs -> {
            if (rs.size() == 0) {
              return null;
            }
            Row r = rs.iterator().next();
            UUID creator = r.getUUID(2);
            if (creator != null && "viewer".equals(r.getString(3)) && !"viewer".equals(r.getString(1))) {
              return null; // an admin token whose creator lost the admin role stops working
            }
            return new Principal("token:" + r.getString(0), Principal.Role.of(r.getString(1)), null, creator);
          });
    }
    if (sessionCookie != null && !sessionCookie.isEmpty()) {
      return pool.preparedQuery("UPDATE admin_sessions s SET last_seen = now() FROM admin_users u "
          + "WHERE s.token_hash = $1 AND u.id = s.user_id AND s.last_seen > now() - make_interval(secs => $2) "
          + "AND s.created_at > now() - make_interval(secs => $3) RETURNING u.name, u.role, s.csrf_token, u.id")
          .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(sessionCookie)), (double) idle.toSeconds(),
              (double) absolute.toSeconds()))
          .map(rs -> {
            if (rs.size() == 0) {
              return null;
            }
            Row r = rs.iterator().next();
            return new Principal(r.getString(0), Principal.Role.of(r.getString(1)), r.getString(2), r.getUUID(3));
          });
    }
    return Future.succeededFuture(null);
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
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1-64 letters, digits, '.', '_', '@' or '-'"));
    }
    if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
      errors.add(new FieldError("password", "must be a string of 1 to " + MAX_PASSWORD + " characters"));
    }
    if (!errors.isEmpty()) { // refused before the throttle: a name that cannot exist takes no memory
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    long wait = throttle.begin(clientIp, name, System.currentTimeMillis());
    if (wait > 0) {
      return Future.failedFuture(new Throttled(wait));
    }
    return pool.preparedQuery("SELECT id, password_hash, role FROM admin_users WHERE name = $1").execute(Tuple.of(name))
        .compose(rs -> {
          Row u = rs.size() == 0 ? null : rs.iterator().next();
          String stored = u == null ? null : u.getString(1);
          return onHashPool(() -> PasswordHash.verify(password, stored == null ? Dummy.HASH : stored))
              .compose(ok -> session(ok && u != null ? u : null, name, clientIp));
        });
  }

  /** @param u the account whose password matched, or {@code null} after a failed check */
  private Future<Session> session(Row u, String name, String clientIp) {
    if (u == null) {
      return Future.succeededFuture(null); // the attempt was counted when it began
    }
    throttle.succeeded(clientIp, name);
    String cookie = PasswordHash.randomSecret(32);
    String csrf = PasswordHash.randomSecret(24);
    return pool.preparedQuery("INSERT INTO admin_sessions (token_hash, user_id, csrf_token) VALUES ($1, $2, $3)")
        .execute(Tuple.of(Buffer.buffer(PasswordHash.sha256(cookie)), u.getUUID(0), csrf))
        .map(x -> new Session(cookie, csrf, new Principal(name, Principal.Role.of(u.getString(2)), csrf, u.getUUID(0))));
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
    return onHashPool(() -> PasswordHash.hash(password))
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
        : onHashPool(() -> PasswordHash.hash(password));
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
            : onHashPool(() -> current != null && PasswordHash.verify(current, rs.iterator().next().getString(0))))
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
    return pool.query("SELECT id, name, role, created_by, created_at, last_used_at, expires_at FROM api_tokens ORDER BY name")
        .execute().map(rs -> {
          JsonArray a = new JsonArray();
          rs.forEach(r -> a.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
              .put("role", r.getString(2)).put("createdBy", r.getString(3))
              .put("createdAt", r.getOffsetDateTime(4).toString())
              .put("lastUsedAt", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toString())
              .put("expiresAt", r.getOffsetDateTime(6) == null ? null : r.getOffsetDateTime(6).toString())));
          return a;
        });
  }

  /**
   * @param in {@code name}, {@code role}, and optionally {@code expiresAt} (RFC 3339) or
   *     {@code expiresIn} (seconds, or a duration such as "30d", "12h", "15m")
   * @param creator who asks: the token is bound to its account (see {@link #authenticate})
   * @return the token's description with its secret ({@code token}), shown this once
   */
  public Future<JsonObject> createToken(JsonObject in, Principal creator) {
    List<FieldError> errors = new ArrayList<>();
    String name = in.getValue("name") instanceof String s ? s : null;
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("name", "must be 1-64 letters, digits, '.', '_', '@' or '-'"));
    }
    String role = role(in.getValue("role", "viewer"), errors);
    java.time.OffsetDateTime expiresAt = TokenExpiry.parse(in, java.time.Instant.now(), errors);
    if (role != null && creator.role() == Principal.Role.VIEWER && role.equals("admin")) {
      errors.add(new FieldError("role", "may not exceed the creator's role (viewer)"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    String token = TOKEN_PREFIX + PasswordHash.randomSecret(32);
    Tuple row = Tuple.of(name, Buffer.buffer(PasswordHash.sha256(token)), role, creator.name(), creator.accountId(),
        expiresAt);
    return pool.preparedQuery("INSERT INTO api_tokens (name, token_hash, role, created_by, creator_id, expires_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id").execute(row)
        .map(rs -> new JsonObject().put("id", rs.iterator().next().getUUID(0).toString()).put("name", name)
            .put("role", role).put("expiresAt", expiresAt == null ? null : expiresAt.toString()).put("token", token))
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
