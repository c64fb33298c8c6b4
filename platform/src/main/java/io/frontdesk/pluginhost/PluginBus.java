package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginMessages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugins' messages between nodes ({@link PluginMessages}): one PostgreSQL channel,
 * {@code frontdesk_plugins}, whose payload names the plugin and the topic; every node listens on
 * one connection and hands each message to the subscribers of that plugin and topic, on a context
 * of its own. Notifications sent while a node's listening connection is down are lost.
 */
public final class PluginBus {

  static final String CHANNEL = "frontdesk_plugins";
  private static final Logger log = LoggerFactory.getLogger(PluginBus.class);

  private final Vertx vertx;
  private final Pool pool;
  private final PgConnectOptions connect;
  private final Context context;
  private final Map<String, CopyOnWriteArrayList<Handler<String>>> handlers = new ConcurrentHashMap<>();
  private PgSubscriber subscriber;

  public PluginBus(Vertx vertx, Pool pool, PgConnectOptions connect) {
    this.vertx = vertx;
    this.pool = pool;
    this.connect = connect;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
  }

  public void start() {
    context.runOnContext(v -> {
      subscriber = PgSubscriber.subscriber(vertx, connect);
      subscriber.reconnectPolicy(retries -> Math.min(10_000L, 500L * (retries + 1)));
      subscriber.channel(CHANNEL).handler(payload -> context.runOnContext(x -> received(payload)));
      subscriber.connect().onFailure(t -> log.warn("plugin messages: cannot listen ({})", t.getMessage()));
    });
  }

  public Future<Void> close() {
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  private void received(String payload) {
    JsonObject m;
    try {
      m = new JsonObject(payload);
    } catch (RuntimeException e) {
      return;
    }
    var list = handlers.get(m.getString("plugin") + "\n" + m.getString("topic"));
    if (list == null) {
      return;
    }
    String message = m.getString("message");
    for (Handler<String> h : list) {
      try {
        h.handle(message);
      } catch (RuntimeException e) {
        log.warn("plugin '{}' failed on a message of topic '{}'", m.getString("plugin"), m.getString("topic"), e);
      }
    }
  }

  /** @return the messages of one plugin */
  PluginMessages of(String pluginId) {
    return new PluginMessages() {
      @Override
      public Future<Void> publish(String topic, String message) {
        String payload = new JsonObject().put("plugin", pluginId).put("topic", topic).put("message", message).encode();
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES + 200) {
          return Future.failedFuture(new IllegalArgumentException("a plugin message may have " + MAX_BYTES
              + " bytes at most"));
        }
        return pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).mapEmpty();
      }

      @Override
      public Subscription subscribe(String topic, Handler<String> handler) {
        var list = handlers.computeIfAbsent(pluginId + "\n" + topic, k -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
      }
    };
  }
}
