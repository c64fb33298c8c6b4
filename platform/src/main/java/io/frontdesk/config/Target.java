package io.frontdesk.config;

import io.vertx.core.json.JsonObject;

/**
 * One backend server of an upstream.
 *
 * @param host IP address or DNS name
 * @param port TCP port
 * @param weight share of traffic relative to the other targets (default 1)
 * @param maxConnections most requests in flight to it at once from one node; 0 = the upstream's
 *     {@code maxConnectionsPerTarget}
 */
public record Target(String host, int port, int weight, int maxConnections) {

  public static Target fromJson(JsonObject json) {
    return new Target(json.getString("host").trim(), json.getInteger("port"),
        json.getInteger("weight", 1), json.getInteger("maxConnections", 0));
  }

  /** @return {@code host:port} ({@code [v6]:port} for IPv6 literals) */
  public String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("weight", weight)
        .put("maxConnections", maxConnections);
  }
}
