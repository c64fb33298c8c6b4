package io.frontdesk.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import org.junit.jupiter.api.Test;

/** Connecting to an external PostgreSQL: the URL's sslmode, and which start-up errors are waited out. */
class ExternalDatabaseTest {

  @Test
  void everyModeGivesUsableClientOptions() {
    for (String mode : new String[] {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}) {
      var o = new DatabaseConfig("db", 5432, "d", "u", "p", mode).connectOptions();
      assertThat(o.getSslMode().name().toLowerCase().replace('_', '-')).isEqualTo(mode);
      if (mode.equals("prefer") || mode.equals("require") || mode.equals("allow")) {
        assertThat(o.getSslOptions().isTrustAll()).isTrue();
      }
    }
  }

  @Test
  void aUrlWithoutSslmodePrefersTlsAndFallsBackToPlainText() {
    String url = TestDatabase.newDatabase().replace("?sslmode=disable", "");
    try (TestNode node = TestNode.onDatabase(url)) {
      assertThat(node.node().reloader().databaseReachable()).isTrue();
    }
  }

  @Test
  void aMissingDatabaseFailsAtOnceWithTheServersReason() {
    String url = TestDatabase.newDatabase().replaceFirst("/[a-z0-9_]+\\?", "/no_such_db?");
    long t = System.nanoTime();
    assertThatThrownBy(() -> TestNode.onDatabase(url).close()).hasStackTraceContaining("no_such_db");
    assertThat(System.nanoTime() - t).isLessThan(20_000_000_000L); // not the minute of waiting
  }

  @Test
  void aServerThatIsNotUpYetIsAwaitedThenReported() {
    DatabaseConfig nowhere = new DatabaseConfig("127.0.0.1", 1, "d", "u", "p", "disable");
    long t = System.nanoTime();
    assertThatThrownBy(() -> Migrations.awaitReachable(nowhere, java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("cannot use the database postgresql://u@127.0.0.1:1/d");
    assertThat(System.nanoTime() - t).isGreaterThan(900_000_000L); // it kept trying for the whole wait
  }

  @Test
  void requireAgainstAServerWithoutTlsFailsWithAClearError() {
    String url = TestDatabase.newDatabase().replace("sslmode=disable", "sslmode=require");
    assertThatThrownBy(() -> TestNode.onDatabase(url).close()).hasStackTraceContaining("does not support SSL");
  }
}
