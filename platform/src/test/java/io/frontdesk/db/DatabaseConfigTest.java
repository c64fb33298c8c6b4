package io.frontdesk.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

  @Test
  void readsBothUrlForms() {
    DatabaseConfig a = DatabaseConfig.parse("postgresql://fd:s%40cret@db.internal:6543/frontdesk?sslmode=require", null, null);
    assertThat(a).isEqualTo(new DatabaseConfig("db.internal", 6543, "frontdesk", "fd", "s@cret", "require"));
    DatabaseConfig b = DatabaseConfig.parse("jdbc:postgresql://db/x?user=u&password=p", null, null);
    assertThat(b).isEqualTo(new DatabaseConfig("db", 5432, "x", "u", "p", "verify-full"));
    DatabaseConfig c = DatabaseConfig.parse("postgres://h/d", "override", "pw");
    assertThat(c.user()).isEqualTo("override");
    assertThat(c.password()).isEqualTo("pw");
    assertThat(a.describe()).doesNotContain("s@cret");
  }

  @Test
  void aRemoteDatabaseWithoutSslmodeIsReachedOverVerifiedTls() {
    DatabaseConfig c = DatabaseConfig.parse("postgresql://u:p@db.example.com/x", null, null);
    assertThat(c.sslMode()).isEqualTo("verify-full");
    var o = c.connectOptions();
    assertThat(o.getSslMode()).isEqualTo(io.vertx.pgclient.SslMode.VERIFY_FULL);
    assertThat(o.getSslOptions().isTrustAll()).isFalse();
    assertThat(o.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    // Flyway's JDBC connection verifies too, against the JVM's CAs (not pgjdbc's ~/.postgresql/root.crt).
    assertThat(c.jdbcUrl()).contains("sslmode=verify-full")
        .contains("sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
  }

  @Test
  void anSslrootcertIsTheCaBothClientsTrust() {
    DatabaseConfig c = DatabaseConfig.parse("postgresql://u:p@db.example.com/x?sslrootcert=/etc/ca.pem", null, null);
    assertThat(c.sslMode()).isEqualTo("verify-full");
    assertThat(c.connectOptions().getSslOptions().getTrustOptions())
        .isInstanceOfSatisfying(io.vertx.core.net.PemTrustOptions.class,
            t -> assertThat(t.getCertPaths()).containsExactly("/etc/ca.pem"));
    assertThat(c.jdbcUrl()).contains("sslrootcert=%2Fetc%2Fca.pem").doesNotContain("sslfactory");
  }

  @Test
  void aLoopbackDatabaseWithoutSslmodeStillPrefersTls() {
    assertThat(DatabaseConfig.parse("postgresql://u:p@127.0.0.1:5432/x", null, null).sslMode()).isEqualTo("prefer");
    assertThat(DatabaseConfig.parse("postgresql://u:p@localhost/x", null, null).sslMode()).isEqualTo("prefer");
    assertThat(DatabaseConfig.parse("postgresql://u:p@db/x?sslmode=disable", null, null).sslMode())
        .isEqualTo("disable");
  }

  @Test
  void aHostParameterNamesAUnixSocketFolder() {
    DatabaseConfig c = DatabaseConfig.parse("postgresql://postgres@localhost/postgres?host=/srv/fd/data/postgres-run",
        null, "pw");
    assertThat(c.unixSocket()).isTrue();
    assertThat(c.sslMode()).isEqualTo("disable");
    assertThat(c.connectOptions().isUsingDomainSocket()).isTrue();
    assertThat(c.jdbcUrl()).contains("socketFactoryArg=%2Fsrv%2Ffd%2Fdata%2Fpostgres-run%2F.s.PGSQL.5432");
  }

  @Test
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> DatabaseConfig.parse("mysql://h/d", null, null))
        .hasMessageContaining("must start with postgresql://");
  }
}
