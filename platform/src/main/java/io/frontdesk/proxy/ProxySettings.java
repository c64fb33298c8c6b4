package io.frontdesk.proxy;

import java.nio.file.Path;
import java.util.List;

/**
 * How the proxy listens and behaves.
 *
 * @param bindHost address to listen on ({@code 0.0.0.0} = all IPv4, {@code ::} = all)
 * @param httpPort plain HTTP port (HTTP/1.1 and h2c); 0 picks a free one
 * @param httpsPort TLS port (HTTP/1.1 and h2 by ALPN); -1 = off
 * @param tlsCert PEM certificate chain for the TLS port
 * @param tlsKey PEM private key (PKCS#8) for the TLS port
 * @param trustedProxies networks whose X-Forwarded-* and X-Request-Id headers are believed
 * @param keepAliveTimeoutMillis idle time after which a client keep-alive connection is closed
 * @param upstreamIdleTimeoutMillis idle time after which a pooled upstream connection is closed
 * @param upstreamConnections connections to one target from one event loop; requests beyond them
 *     wait for one to come free
 * @param tunnelIdleTimeoutMillis idle time after which an upgraded (WebSocket) connection is closed
 * @param redactedQueryParams query parameters whose values the access log replaces with {@code REDACTED}
 * @param nodeId this node's id in logs and across nodes
 * @param http2 limits of each HTTP/2 client connection
 */
public record ProxySettings(
    String bindHost,
    int httpPort,
    int httpsPort,
    Path tlsCert,
    Path tlsKey,
    TrustedProxies trustedProxies,
    long keepAliveTimeoutMillis,
    long upstreamIdleTimeoutMillis,
    int upstreamConnections,
    long tunnelIdleTimeoutMillis,
    List<String> redactedQueryParams,
    String nodeId,
    ProxyLimits limits,
    Http2Limits http2) {

  public ProxySettings {
    redactedQueryParams = List.copyOf(redactedQueryParams);
  }
}
