package io.frontdesk.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.testing.TestCertificates;
import io.frontdesk.testing.TestNode;
import io.frontdesk.testing.TestPaths;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** verify-full against a real PostgreSQL with TLS: both clients (Flyway's JDBC and Vert.x) check the certificate. */
class VerifiedTlsTest {

  @Test
  void verifyFullConnectsWithTheServersCaAndRefusesAnyOther() throws Exception {
    TestCertificates server = TestCertificates.selfSigned("localhost");
    TestCertificates stranger = TestCertificates.selfSigned("localhost");
    Files.setPosixFilePermissions(server.key(), PosixFilePermissions.fromString("rw-------"));
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(TestPaths.work().resolve("pg-bin").toFile())
        .setDataDirectory(TestPaths.newDir("tls-pg").resolve("pg")).setCleanDataDirectory(true)
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", server.cert().toString())
        .setServerConfig("ssl_key_file", server.key().toString())
        .start()) {
      String base = "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/postgres?sslmode=verify-full";
      try (TestNode node = TestNode.onDatabase(base + "&sslrootcert=" + server.cert())) {
        assertThat(node.node().reloader().databaseReachable()).isTrue();
      }
      assertThatThrownBy(() -> TestNode.onDatabase(base + "&sslrootcert=" + stranger.cert()).close())
          .hasStackTraceContaining("cannot use the database")
          .hasStackTraceContaining("sslmode=verify-full");
    }
  }
}
