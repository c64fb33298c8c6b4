package io.frontdesk;

import io.frontdesk.proxy.ProxyLimits;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything Frontdesk is started with; each setting is a flag and an environment variable (see
 * {@link SettingsParser} and {@code --help}).
 */
public record Settings(
    String bind,
    int httpPort,
    int httpsPort,
    Path tlsCert,
    Path tlsKey,
    String adminBind,
    int adminPort,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    Path pluginsDir,
    List<String> trustedProxies,
    String nodeId,
    long drainTimeoutMillis,
    long keepAliveTimeoutMillis,
    long upstreamIdleTimeoutMillis,
    int upstreamConnections,
    long tunnelIdleTimeoutMillis,
    long filterTimeoutMillis,
    int eventLoops,
    List<String> redactQueryParams,
    boolean accessLog,
    int logRetentionDays,
    long logSpoolMaxBytes,
    int logQueue,
    long logSearchTimeoutMillis,
    int logSearchesPerCaller,
    String adminPassword,
    String adminToken,
    long adminSessionIdleMillis,
    long adminIdleTimeoutMillis,
    String metricsToken,
    long filterStallMillis,
    boolean demo,
    ProxyLimits proxyLimits,
    int h2MaxConcurrentStreams,
    int h2MaxHeaderListSize,
    long reloadTimeoutMillis) {

  public Settings {
    trustedProxies = List.copyOf(trustedProxies);
    redactQueryParams = List.copyOf(redactQueryParams);
  }

  /** @return whether the embedded PostgreSQL runs (no external database URL given) */
  public boolean embeddedDatabase() {
    return dbUrl == null || dbUrl.isBlank();
  }
}
