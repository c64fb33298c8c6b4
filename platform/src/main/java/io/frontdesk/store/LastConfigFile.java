package io.frontdesk.store;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.db.OwnerOnly;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The last configuration this node applied, kept in the data directory (0600, replaced
 * atomically) so that the node can start and serve traffic while its database is unreachable.
 * Blocking: call it off the event loop.
 */
public final class LastConfigFile {

  private final Path file;

  public LastConfigFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public void save(ConfigDocument doc) throws IOException {
    OwnerOnly.writeAtomically(file, doc.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  /** @return the saved document, or empty when there is none (or it cannot be read: then it says why) */
  public Optional<ConfigDocument> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigDocument.fromJson(new JsonObject(Files.readString(file))));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the saved configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
