package io.frontdesk.plugins.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts in Redis, so every node sharing it holds one budget: one Lua script per decision
 * ({@code rate-limit.lua}: all limits at once, Redis's clock, keys with a TTL). Each event loop
 * keeps one pipelined connection of its own, made on first use on that loop, so answers come back
 * on the loop that asked. A decision that Redis does not answer within the timeout fails (the
 * filter then lets the request pass or refuses it, as configured); after a failure Redis is left
 * alone for a short pause, then the next request connects again by itself.
 */
final class RedisStore implements LimitStore {

  static final String SCRIPT = load();
  static final String SHA = sha1(SCRIPT);
  /** How long Redis is left alone after a failure before a request tries it again. */
  static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final List<Limit> limits;
  private final String[] keyPrefixes;
  private final String[] algorithms;
  private final RateLimitConfig.RedisSettings settings;
  private final Vertx vertx;
  private final ConcurrentHashMap<Thread, Link> links = new ConcurrentHashMap<>();
  private volatile Redis client;
  private volatile long pausedUntil;
  private volatile boolean closed;

  RedisStore(List<Limit> limits, RateLimitConfig.RedisSettings settings, Vertx vertx) {
    this.limits = limits;
    this.settings = settings;
    this.vertx = vertx;
    this.pausedUntil = System.nanoTime(); // nanoTime's origin is arbitrary: 0 is no "long ago"
    this.keyPrefixes = new String[limits.size()];
    this.algorithms = new String[limits.size()];
    for (int i = 0; i < limits.size(); i++) {
      Limit l = limits.get(i);
      keyPrefixes[i] = settings.prefix() + tag(l) + ":" + l.name() + ":";
      algorithms[i] = l.algorithm() == Limit.Algorithm.GCRA ? "g" : "s";
    }
  }

  /** The same limit in any binding on any node counts under the same keys. */
  private static String tag(Limit l) {
    return sha1(l.name() + "|" + l.key() + "|" + l.algorithm().json + "|" + l.rate()).substring(0, 8);
  }

  @Override
  public Future<Outcome[]> acquire(String[] keys) {
    if (closed) {
      return Future.failedFuture("the binding was removed");
    }
    if (System.nanoTime() - pausedUntil < 0) {
      return Future.failedFuture("Redis at " + settings.displayUrl() + " failed just before; trying again shortly");
    }
    Link link = links.computeIfAbsent(Thread.currentThread(), t -> new Link());
    int n = 0;
    for (String k : keys) {
      n += k == null ? 0 : 1;
    }
    int[] index = new int[n];
    Request eval = Request.cmd(Command.EVALSHA).arg(SHA).arg(n);
    int j = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        index[j++] = i;
        eval.arg(keyPrefixes[i] + keys[i]);
      }
    }
    Object[] args = new Object[n * 3];
    for (int k = 0; k < n; k++) {
      Limit l = limits.get(index[k]);
      args[3 * k] = algorithms[index[k]];
      boolean gcra = l.algorithm() == Limit.Algorithm.GCRA;
      args[3 * k + 1] = gcra ? l.rate().intervalMicros() : l.rate().count();
      args[3 * k + 2] = gcra ? l.toleranceMicros() : l.rate().periodMicros();
    }
    for (Object a : args) {
      eval.arg(String.valueOf(a));
    }
    return link.send(eval, args, keys, index)
        .timeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> {
          pausedUntil = System.nanoTime() + RETRY_PAUSE_NANOS;
          if (e instanceof TimeoutException) {
            link.reset(); // a connection that stopped answering is not trusted again
            return Future.failedFuture("Redis at " + settings.displayUrl() + " did not answer within "
                + settings.timeoutMillis() + " ms");
          }
          return Future.failedFuture(e);
        })
        .map(r -> outcomes(r, keys.length, index));
  }

  private static Outcome[] outcomes(Response r, int size, int[] index) {
    Outcome[] out = new Outcome[size];
    java.util.Arrays.fill(out, Outcome.NOT_APPLICABLE);
    for (int k = 0; k < index.length; k++) {
      out[index[k]] = new Outcome(r.get(5 * k).toInteger() == 1, r.get(5 * k + 1).toLong(),
          r.get(5 * k + 2).toLong(), r.get(5 * k + 3).toLong(), r.get(5 * k + 4).toLong());
    }
    return out;
  }

  private Redis client() {
    Redis c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          int connectMillis = (int) Math.max(settings.timeoutMillis(), 1000);
          client = Redis.createClient(vertx, new RedisOptions().setConnectionString(settings.url())
              .setMaxPoolSize(64).setMaxPoolWaiting(1024).setMaxWaitingHandlers(100_000)
              .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectMillis).setTcpNoDelay(true)));
        }
        c = client;
      }
    }
    return c;
  }

  /** One event loop's connection, used on that loop only. */
  private final class Link {
    private Future<RedisConnection> connection;

    Future<Response> send(Request eval, Object[] args, String[] keys, int[] index) {
      if (connection == null || connection.failed()) {
        connection = client().connect().onSuccess(c -> {
          c.exceptionHandler(e -> reset());
          c.endHandler(v -> reset());
        });
      }
      Future<RedisConnection> conn = connection;
      return conn.compose(c -> c.send(eval).recover(e -> {
        if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
          // Redis restarted (or flushed its scripts): send the script itself once, which caches it again
          Request full = Request.cmd(Command.EVAL).arg(SCRIPT).arg(index.length);
          for (int k : index) {
            full.arg(keyPrefixes[k] + keys[k]);
          }
          for (Object a : args) {
            full.arg(String.valueOf(a));
          }
          return c.send(full);
        }
        return Future.failedFuture(e);
      }));
    }

    void reset() {
      Future<RedisConnection> c = connection;
      connection = null;
      if (c != null && c.succeeded()) {
        c.result().close();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Redis c = client;
    if (c != null) {
      c.close();
    }
  }

  private static String load() {
    try (InputStream in = RedisStore.class.getResourceAsStream("rate-limit.lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
