package io.frontdesk.accesslog;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * Access-log rows PostgreSQL refused, kept for an operator instead of blocking the log: one JSON
 * line per row ({@code at}, {@code reason}, {@code sqlState}, {@code row} as in the spool), in a
 * file only the owner can read (rows hold client addresses and paths). Past its size cap a
 * refused row is only counted as lost.
 */
final class DeadLetters {

  static final long MAX_BYTES = 64L * 1024 * 1024;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final long maxBytes;

  DeadLetters(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
  }

  Path file() {
    return file;
  }

  /**
   * Appends a refused row durably.
   *
   * @throws IOException when the file cannot take it (full disk, size cap)
   */
  void append(LogRow row, String reason, String sqlState) throws IOException {
    byte[] line = (new JsonObject().put("at", Instant.now().toString()).put("reason", reason)
        .put("sqlState", sqlState).put("row", new JsonObject(row.toSpoolLine())).encode() + "\n")
        .getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND), ownerOnly())) {
      if (ch.size() + line.length > maxBytes) {
        throw new IOException("the dead-letter file " + file + " is full (" + maxBytes + " bytes)");
      }
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(false);
    }
  }

  private FileAttribute<?>[] ownerOnly() {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
  }
}
