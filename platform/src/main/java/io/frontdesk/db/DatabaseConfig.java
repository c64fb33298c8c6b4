package io.frontdesk.db;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the PostgreSQL database is: parsed from a URL in either common form,
 * {@code postgresql://user:pass@host:5432/db?sslmode=require} or
 * {@code jdbc:postgresql://host:5432/db?user=u&password=p}.
 *
 * <p>Without an {@code sslmode} in the URL, a database on another host is reached with
 * {@code verify-full} (TLS, certificate checked against the JVM's trusted CAs or the URL's
 * {@code sslrootcert}, host name matched); one on the loopback interface with {@code prefer}.
 *
 * @param sslMode {@code disable}, {@code prefer}, {@code require}, {@code verify-ca}, {@code verify-full}
 * @param sslRootCert PEM file of the CA(s) to trust for {@code verify-*}, or {@code null} for the JVM's
 */
public record DatabaseConfig(String host, int port, String database, String user, String password, String sslMode,
    String sslRootCert) {

  /** Without a CA file of its own: the JVM's trusted CAs verify. */
  public DatabaseConfig(String host, int port, String database, String user, String password, String sslMode) {
    this(host, port, database, user, password, sslMode, null);
  }

  /**
   * @param url the URL
   * @param user overrides the URL's user when not {@code null}
   * @param password overrides the URL's password when not {@code null}
   * @throws IllegalArgumentException naming what is wrong
   */
  public static DatabaseConfig parse(String url, String user, String password) {
    String u = url.trim();
    if (u.startsWith("jdbc:")) {
      u = u.substring(5);
    }
    if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    if (!u.startsWith("postgresql://")) {
      throw new IllegalArgumentException("the database URL must start with postgresql:// or jdbc:postgresql:// (got '"
          + url + "')");
    }
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the database URL is malformed: " + e.getMessage());
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    String urlUser = null;
    String urlPassword = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      urlUser = decode(colon < 0 ? info : info.substring(0, colon));
      urlPassword = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    // libpq's ?host=/folder names a Unix-socket folder (another Frontdesk's embedded database, say).
    String host = params.containsKey("host") ? params.get("host") : uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String finalUser = first(user, params.get("user"), urlUser, "postgres");
    String finalPassword = first(password, params.get("password"), urlPassword, "");
    String ssl = params.getOrDefault("sslmode", defaultSslMode(host));
    return new DatabaseConfig(host, port, db, finalUser, finalPassword, ssl, params.get("sslrootcert"));
  }

  /** Across a network, unverified TLS is no protection against whoever sits on the path: verify by default. */
  static String defaultSslMode(String host) {
    if (host.startsWith("/")) {
      return "disable"; // a Unix socket: no TLS there
    }
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("[::1]");
    return loopback ? "prefer" : "verify-full";
  }

  private boolean verifies() {
    return sslMode.equals("verify-ca") || sslMode.equals("verify-full");
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** @return the JDBC URL Flyway uses (credentials passed separately) */
  public String jdbcUrl() {
    if (unixSocket()) {
      // pgjdbc has no Unix sockets of its own: junixsocket's factory connects to the socket file.
      return "jdbc:postgresql://localhost:" + port + "/" + database + "?sslmode=disable"
          + "&ApplicationName=frontdesk-migrations&socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg"
          + "&socketFactoryArg=" + java.net.URLEncoder.encode(host + "/.s.PGSQL." + port, StandardCharsets.UTF_8);
    }
    return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database
        + "?sslmode=" + sslMode + "&ApplicationName=frontdesk-migrations" + jdbcTrust();
  }

  /** pgjdbc's own default CA file is ~/.postgresql/root.crt; use the URL's file or else the JVM's CAs. */
  private String jdbcTrust() {
    if (!verifies()) {
      return "";
    }
    return sslRootCert != null ? "&sslrootcert=" + java.net.URLEncoder.encode(sslRootCert, StandardCharsets.UTF_8)
        : "&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";
  }

  /** @return options for the Vert.x PostgreSQL client */
  public PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user).setPassword(password)
        .setPipeliningLimit(64)
        .setReconnectAttempts(0)
        .setProperties(Map.of("application_name", "frontdesk"));
    o.setSslMode(SslMode.of(sslMode));
    if (sslMode.equals("require") || sslMode.equals("prefer") || sslMode.equals("allow")) {
      if (o.getSslOptions() == null) {
        o.setSslOptions(new ClientSSLOptions());
      }
      o.getSslOptions().setTrustAll(true); // libpq semantics: encryption without verification
    } else if (verifies()) {
      ClientSSLOptions ssl = o.getSslOptions() == null ? new ClientSSLOptions() : o.getSslOptions();
      ssl.setTrustAll(false).setHostnameVerificationAlgorithm(sslMode.equals("verify-full") ? "HTTPS" : "");
      if (sslRootCert != null) {
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
      }
      o.setSslOptions(ssl);
    }
    return o;
  }

  /** @return whether {@code host} is the folder of a PostgreSQL Unix socket */
  public boolean unixSocket() {
    return host.startsWith("/");
  }

  /** @return the URL without the password, for logs */
  public String describe() {
    if (unixSocket()) {
      return "postgresql://" + user + "@" + database + " on the socket in " + host;
    }
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
