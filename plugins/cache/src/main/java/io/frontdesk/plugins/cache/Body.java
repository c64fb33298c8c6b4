package io.frontdesk.plugins.cache;

/** The body of a stored response: in memory, or (later) in a file of the disk tier. */
sealed interface Body permits Body.InMemory {

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
}
