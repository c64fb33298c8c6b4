package io.frontdesk.db;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders only the account running Frontdesk can read (0600 and 0700): the data
 * directory holds the database password, admin password hashes and request logs.
 */
public final class OwnerOnly {

  public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {
  }

  /** Creates the directory (and missing parents) and narrows it to 0700, also when it already existed. */
  public static Path directory(Path dir) throws IOException {
    Files.createDirectories(dir);
    restrict(dir, DIR);
    return dir;
  }

  /** Narrows an existing file to 0600. */
  public static void file(Path file) throws IOException {
    restrict(file, FILE);
  }

  /** Creates an empty 0600 file unless it exists (then narrows it). */
  public static Path createFile(Path file) throws IOException {
    try {
      Files.createFile(file, attr(FILE));
    } catch (FileAlreadyExistsException e) {
      restrict(file, FILE);
    }
    return file;
  }

  /** Replaces {@code target} with {@code content} atomically (temporary 0600 file, then rename). */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, attr(FILE));
    Files.write(tmp, content);
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static FileAttribute<?>[] attr(Set<PosixFilePermission> perms) {
    return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
  }

  private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(p, perms);
    }
  }

  private static boolean posix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
