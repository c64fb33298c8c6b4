package io.frontdesk.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Messages between the instances of one plugin on every node sharing the database (a cache purge
 * that must reach them all), carried by PostgreSQL {@code NOTIFY}: a message arrives within about
 * a second on every node, the sending one included. Messages are not stored: a node that is not
 * listening when one is sent (its database connection is down) does not get it.
 */
public interface PluginMessages {

  /** The most bytes a message may have (topic and payload, UTF-8). */
  int MAX_BYTES = 7000;

  /**
   * Sends {@code message} to every node's subscribers of {@code topic} (topics are the plugin's own).
   *
   * @return completed once the database took it; failed when it is unreachable or the message too long
   */
  Future<Void> publish(String topic, String message);

  /**
   * Calls {@code handler} with every message on {@code topic}, on an event loop of the host's (it must
   * not block).
   *
   * @return what ends the subscription
   */
  Subscription subscribe(String topic, Handler<String> handler);

  /** A subscription; cancel it when its owner goes. */
  interface Subscription {
    void cancel();
  }
}
