package io.frontdesk.plugins.cache;

import java.nio.file.Path;

/** The body of a stored response: in the heap, or in a file of the disk tier. */
sealed interface Body permits Body.InMemory, Body.OnDisk {

  /** @return its length in bytes */
  long length();

  /** A body held in the heap. */
  record InMemory(byte[] bytes) implements Body {
    static final InMemory EMPTY = new InMemory(new byte[0]);

    @Override
    public long length() {
      return bytes.length;
    }
  }

  /**
   * A body in a disk-tier file: its first {@code length} bytes, checked block by block against
   * {@code blockCrcs} (CRC32 of each {@link DiskFormat#BLOCK}) as it is read.
   */
  record OnDisk(Path file, long length, int[] blockCrcs) implements Body {
  }
}
