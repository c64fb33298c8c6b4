package io.frontdesk.accesslog;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live traffic across every node sharing the database: once a second each node turns its {@link
 * LiveStats} into a sample, publishes it with {@code pg_notify} (no table: live traffic is not
 * stored) and merges what all nodes published into one view, streamed to subscribers (the
 * dashboard's SSE). Percentiles across nodes are request-weighted averages of the nodes'
 * percentiles: an approximation, exact for one node.
 */
public final class LiveBus implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveBus.class);
  static final String CHANNEL = "frontdesk_live";
  private static final int MAX_PAYLOAD = 7800;
  private static final int HISTORY = 300;

  private final Vertx vertx;
  private final Context context;
  private final LiveStats stats;
  private final Pool pool;
  private final PgConnectOptions connect;
  private final String nodeId;
  private final Map<String, JsonObject> latest = new HashMap<>();
  private final ArrayDeque<JsonObject> history = new ArrayDeque<>();
  private final List<Consumer<JsonObject>> subscribers = new CopyOnWriteArrayList<>();
  private PgSubscriber subscriber;
  private long timer = -1;

  public LiveBus(Vertx vertx, LiveStats stats, Pool pool, PgConnectOptions connect, String nodeId) {
    this.vertx = vertx;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.stats = stats;
    this.pool = pool;
    this.connect = connect;
    this.nodeId = nodeId;
  }

  public void start() {
    context.runOnContext(v -> {
      subscriber = PgSubscriber.subscriber(vertx, connect);
      subscriber.reconnectPolicy(retries -> Math.min(10_000L, 500L * (retries + 1)));
      subscriber.channel(CHANNEL).handler(payload -> context.runOnContext(x -> received(payload)));
      subscriber.connect().onFailure(t -> log.warn("live traffic: cannot listen for other nodes ({})", t.getMessage()));
      long delay = 1000 - System.currentTimeMillis() % 1000; // tick on the second
      vertx.setTimer(Math.max(1, delay), id -> timer = vertx.setPeriodic(1000, p -> tick()));
    });
  }

  private void tick() {
    long second = System.currentTimeMillis() / 1000 - 1;
    JsonObject mine = stats.tick(second);
    latest.put(nodeId, mine);
    String payload = fit(mine);
    pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload))
        .onFailure(t -> log.debug("live traffic: not published ({})", t.getMessage()));
    JsonObject merged = merge(second);
    synchronized (history) {
      history.addLast(merged);
      while (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
    for (Consumer<JsonObject> s : subscribers) {
      try {
        s.accept(merged);
      } catch (RuntimeException e) {
        log.debug("live subscriber failed", e);
      }
    }
  }

  private void received(String payload) {
    try {
      JsonObject s = new JsonObject(payload);
      String node = s.getString("node");
      if (node != null && !node.equals(nodeId)) {
        latest.put(node, s);
      }
    } catch (RuntimeException e) {
      log.debug("live traffic: unreadable sample", e);
    }
  }

  /** Shortens the lists until the sample fits a NOTIFY payload. */
  static String fit(JsonObject sample) {
    JsonObject s = sample.copy();
    String text = s.encode();
    while (text.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD) {
      boolean cut = false;
      for (String key : List.of("targets", "routes", "sites")) {
        JsonArray a = s.getJsonArray(key);
        if (a != null && a.size() > 3) {
          a.remove(a.size() - 1);
          cut = true;
        }
      }
      if (!cut) {
        s.put("targets", new JsonArray()).put("routes", new JsonArray()).put("sites", new JsonArray());
      }
      text = s.encode();
    }
    return text;
  }

  /** Sums the latest samples of the nodes heard from in the last three seconds. */
  private JsonObject merge(long second) {
    List<JsonObject> fresh = new ArrayList<>();
    JsonArray nodes = new JsonArray();
    latest.entrySet().removeIf(e -> second - e.getValue().getLong("ts", 0L) > 60);
    for (JsonObject s : latest.values()) {
      if (second - s.getLong("ts", 0L) <= 3) {
        fresh.add(s);
        nodes.add(new JsonObject().put("node", s.getString("node")).put("requests", s.getJsonObject("all")
            .getLong("requests")));
      }
    }
    JsonObject all = combine(fresh.stream().map(s -> s.getJsonObject("all")).toList(), "all");
    return new JsonObject().put("ts", second).put("nodes", nodes).put("all", all)
        .put("sites", combineLists(fresh, "sites")).put("routes", combineLists(fresh, "routes"))
        .put("targets", combineLists(fresh, "targets"));
  }

  private static JsonArray combineLists(List<JsonObject> samples, String key) {
    Map<String, List<JsonObject>> byName = new LinkedHashMap<>();
    for (JsonObject s : samples) {
      for (Object o : s.getJsonArray(key, new JsonArray())) {
        JsonObject j = (JsonObject) o;
        byName.computeIfAbsent(j.getString("name"), k -> new ArrayList<>()).add(j);
      }
    }
    List<JsonObject> out = new ArrayList<>();
    byName.forEach((name, list) -> out.add(combine(list, name)));
    out.sort((a, b) -> Long.compare(b.getLong("requests"), a.getLong("requests")));
    return new JsonArray(new ArrayList<>(out));
  }

  static JsonObject combine(List<JsonObject> parts, String name) {
    if (parts.isEmpty()) {
      return LiveStats.empty().put("name", name);
    }
    if (parts.size() == 1) {
      return parts.get(0).copy().put("name", name);
    }
    JsonObject out = new JsonObject().put("name", name);
    long total = 0;
    for (JsonObject p : parts) {
      total += p.getLong("requests");
    }
    for (String k : List.of("requests", "bytes", "s1xx", "s2xx", "s3xx", "s4xx", "s5xx")) {
      long sum = 0;
      for (JsonObject p : parts) {
        sum += p.getLong(k, 0L);
      }
      out.put(k, sum);
    }
    for (String k : List.of("p50", "p95", "p99")) {
      double w = 0;
      for (JsonObject p : parts) {
        w += p.getLong(k, 0L) * (double) p.getLong("requests");
      }
      out.put(k, total == 0 ? 0 : Math.round(w / total));
    }
    long max = 0;
    for (JsonObject p : parts) {
      max = Math.max(max, p.getLong("max", 0L));
    }
    return out.put("max", max);
  }

  /** @return the merged view of the last {@code seconds} seconds, oldest first */
  public List<JsonObject> history(int seconds) {
    List<JsonObject> kept;
    synchronized (history) {
      kept = new ArrayList<>(history);
    }
    // One sample for every second of the window, so a chart has no gaps: seconds before this node
    // started (or a tick that came late) are quiet ones.
    Map<Long, JsonObject> bySecond = new HashMap<>();
    kept.forEach(x -> bySecond.put(x.getLong("ts"), x));
    long last = kept.isEmpty() ? System.currentTimeMillis() / 1000 - 1
        : Math.max(kept.get(kept.size() - 1).getLong("ts"), System.currentTimeMillis() / 1000 - 2);
    List<JsonObject> out = new ArrayList<>(seconds);
    for (long t = last - seconds + 1; t <= last; t++) {
      JsonObject x = bySecond.get(t);
      out.add(x != null ? x : new JsonObject().put("ts", t).put("nodes", new JsonArray())
          .put("all", LiveStats.empty()).put("sites", new JsonArray()).put("routes", new JsonArray())
          .put("targets", new JsonArray()));
    }
    return out;
  }

  /** Calls {@code s} with every merged second until unsubscribed. */
  public Runnable subscribe(Consumer<JsonObject> s) {
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
