package io.frontdesk.accesslog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Where access-log rows wait while PostgreSQL cannot take them: append-only JSON-lines segment
 * files in the data directory, written with fsync, read back oldest first. A segment is deleted
 * once all its rows are stored; after a crash, a segment is replayed from its start (rows are
 * stored once whatever happens, by their key). Only a full disk (or the size cap) loses rows.
 */
final class Spool {

  private static final long SEGMENT_BYTES = 16L * 1024 * 1024;

  private final Path dir;
  private final long maxBytes;
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel writing;
  private long writingNumber = -1;
  private long totalBytes;
  private long readSegment = -1;
  private long readOffset;

  /** A chunk read from the oldest segment. */
  record Chunk(List<LogRow> rows, long segment, long endOffset, boolean endOfSegment) {
  }

  Spool(Path dir, long maxBytes) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    io.frontdesk.db.OwnerOnly.directory(dir); // request logs: this OS account only
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "segment-*.jsonl")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        segments.put(Long.parseLong(n.substring(8, n.length() - 6)), p);
        totalBytes += Files.size(p);
      }
    }
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  long bytes() {
    return totalBytes;
  }

  /**
   * Appends rows durably.
   *
   * @throws IOException when the disk is full or the cap is reached (the rows are lost)
   */
  void append(List<LogRow> rows) throws IOException {
    StringBuilder sb = new StringBuilder(rows.size() * 400);
    for (LogRow r : rows) {
      sb.append(r.toSpoolLine()).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (totalBytes + bytes.length > maxBytes) {
      throw new IOException("the spool is full (" + maxBytes + " bytes)");
    }
    if (writing == null || writing.size() > SEGMENT_BYTES) {
      closeWriting();
      writingNumber = segments.isEmpty() ? System.currentTimeMillis() : Math.max(System.currentTimeMillis(),
          segments.lastKey() + 1);
      Path p = dir.resolve("segment-" + writingNumber + ".jsonl");
      io.frontdesk.db.OwnerOnly.createFile(p);
      writing = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      segments.put(writingNumber, p);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long before = writing.size();
    try {
      while (buf.hasRemaining()) {
        writing.write(buf);
      }
      writing.force(false);
    } catch (IOException e) {
      writing.truncate(before); // no half-written line
      throw e;
    }
    totalBytes += bytes.length;
  }

  /** Reads up to {@code max} rows from the oldest segment, from where the last commit left off. */
  Chunk read(int max) throws IOException {
    var first = segments.firstEntry();
    if (first == null) {
      return null;
    }
    if (first.getKey() != readSegment) {
      readSegment = first.getKey();
      readOffset = 0;
    }
    if (first.getKey() == writingNumber) {
      closeWriting(); // stop appending to the segment being replayed
    }
    List<LogRow> rows = new ArrayList<>(max);
    long offset = readOffset;
    try (FileChannel ch = FileChannel.open(first.getValue(), StandardOpenOption.READ)) {
      ch.position(offset);
      BufferedReader r = new BufferedReader(new InputStreamReader(java.nio.channels.Channels.newInputStream(ch),
          StandardCharsets.UTF_8), 64 * 1024);
      String line;
      while (rows.size() < max && (line = r.readLine()) != null) {
        offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (!line.isBlank()) {
          try {
            rows.add(LogRow.fromSpoolLine(line));
          } catch (RuntimeException corrupt) {
            // a torn last line after a crash: skip it
          }
        }
      }
      boolean end = offset >= ch.size();
      return new Chunk(rows, first.getKey(), offset, end);
    }
  }

  /** The rows of a chunk are stored: move on, deleting a finished segment. */
  void commit(Chunk c) throws IOException {
    if (c.endOfSegment()) {
      Path p = segments.remove(c.segment());
      if (p != null) {
        totalBytes -= Files.size(p);
        Files.deleteIfExists(p);
      }
      readSegment = -1;
      readOffset = 0;
    } else {
      readOffset = c.endOffset();
    }
  }

  private void closeWriting() throws IOException {
    if (writing != null) {
      writing.close();
      writing = null;
      writingNumber = -1;
    }
  }

  void close() throws IOException {
    closeWriting();
  }
}
