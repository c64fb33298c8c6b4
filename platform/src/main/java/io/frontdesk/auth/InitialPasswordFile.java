package io.frontdesk.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The first admin account's random password goes to a file only its owner may read
 * ({@code <data dir>/initial-admin-password}, mode 0600), never to the console or a log, which
 * are often collected and kept where more people can read them.
 */
public final class InitialPasswordFile {

  public static final String NAME = "initial-admin-password";

  private InitialPasswordFile() {
  }

  /** Writes {@code password} (replacing an older file); blocking: call it off the event loop. */
  public static Path write(Path dataDir, String password) {
    Path file = dataDir.resolve(NAME);
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(file);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // Created with its mode: there is no moment in which others could open it.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
