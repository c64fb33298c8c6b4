package io.frontdesk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders under target/ for test state. */
public final class TestPaths {

  private TestPaths() {
  }

  public static Path work() {
    Path p = Path.of(System.getProperty("frontdesk.test.workdir", "target/test-work")).toAbsolutePath();
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** @return a new empty directory */
  public static Path newDir(String prefix) {
    try {
      return Files.createTempDirectory(work(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
