package io.frontdesk.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory, held with an exclusive OS file lock for the life of the process, so two
 * Frontdesks never share one and a process killed with -9 leaves no stale lock behind. It is
 * narrowed to 0700 (only this OS account) at every start.
 */
public final class DataDirectory implements AutoCloseable {

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @throws IllegalStateException when another process holds the directory, or it cannot be made
   */
  public static DataDirectory open(Path dir) {
    try {
      OwnerOnly.directory(dir); // it holds the database password, password hashes and request logs
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the data directory " + dir + ": " + e.getMessage()
          + " (choose another with --data-dir)", e);
    }
    Path lockFile = dir.resolve("frontdesk.lock");
    try {
      OwnerOnly.createFile(lockFile);
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        ch.close();
        throw new IllegalStateException("the data directory " + dir
            + " is in use by another running Frontdesk; stop it or choose another with --data-dir");
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()));
      ch.force(true);
      return new DataDirectory(dir, ch, lock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS releases it at exit anyway
    }
  }
}
