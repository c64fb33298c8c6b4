package io.frontdesk.proxy;

/**
 * Limits the proxy's listeners hold every client to.
 *
 * @param headerTimeoutMillis longest time from a connection's start, or from the first byte of a
 *     request after a keep-alive pause, until the whole request head has arrived (then 408 and close)
 * @param maxConnections client connections open at once on this node; more are closed at once (0 = no limit)
 * @param maxConnectionsPerClient client connections open at once from one address (0 = no limit)
 * @param maxRequestBodyBytes largest request body of a route without its own limit (413; 0 = no limit)
 */
public record ProxyLimits(
    long headerTimeoutMillis,
    int maxConnections,
    int maxConnectionsPerClient,
    long maxRequestBodyBytes) {

  public static final ProxyLimits DEFAULT = new ProxyLimits(10_000, 100_000, 0, 0);
}
