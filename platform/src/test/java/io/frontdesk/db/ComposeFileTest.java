package io.frontdesk.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped compose file must not start a database anyone can log into with a known password. */
class ComposeFileTest {

  private static final Path COMPOSE = Path.of("..", "docker", "docker-compose.yml");

  @Test
  void composeFileRequiresTheDatabasePasswordInsteadOfDefaultingIt() throws Exception {
    String compose = Files.readString(COMPOSE);
    assertThat(compose).contains("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?");
    // No literal value for any password key (KEY: value rather than KEY: ${VARIABLE...}).
    assertThat(compose).doesNotContainPattern("(?m)^\\s*\\w*PASSWORD:\\s*[^$\\s]");
    // No password written into a database URL either (user:password@host).
    assertThat(compose).doesNotContainPattern("postgres(ql)?://[^/@\\s]+:[^/@\\s]+@");
    assertThat(compose).doesNotContainPattern("\\$\\{POSTGRES_PASSWORD:-");
  }
}
