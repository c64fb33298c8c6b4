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
    assertThat(b).isEqualTo(new DatabaseConfig("db", 5432, "x", "u", "p", "prefer"));
    DatabaseConfig c = DatabaseConfig.parse("postgres://h/d", "override", "pw");
    assertThat(c.user()).isEqualTo("override");
    assertThat(c.password()).isEqualTo("pw");
    assertThat(a.describe()).doesNotContain("s@cret");
  }

  @Test
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> DatabaseConfig.parse("mysql://h/d", null, null))
        .hasMessageContaining("must start with postgresql://");
  }
}
