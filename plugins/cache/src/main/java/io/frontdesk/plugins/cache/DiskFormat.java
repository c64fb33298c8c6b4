package io.frontdesk.plugins.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The layout of a disk-tier file: the body, then a trailer — JSON with the key and the stored
 * head (status, fields, times, secondary key) and the CRC32 of every 64 KiB block of the body —
 * then the trailer's own CRC32, its length and a magic number. The trailer comes last so a body of
 * unknown length can be written as it streams; a file whose trailer does not check out is dropped.
 */
final class DiskFormat {

  static final int BLOCK = 64 * 1024;
  private static final int MAGIC = 0x46444331; // "FDC1"
  private static final int TAIL = 12;

  /** A file read back: its key and stored response. */
  record Entry(String key, StoredResponse response) {
  }

  private DiskFormat() {
  }

  static byte[] trailer(String key, StoredResponse r, int[] blockCrcs) {
    StoredHead h = r.head();
    JsonObject j = new JsonObject().put("key", key).put("id", r.id()).put("status", h.status())
        .put("headers", new JsonArray(List.of((Object[]) h.headers()))).put("requestTime", h.requestTime())
        .put("responseTime", h.responseTime()).put("initialAge", h.correctedInitialAge())
        .put("varyStar", h.vary().star()).put("varyFields", new JsonArray(new ArrayList<>(h.vary().fields())))
        .put("varyValues", new JsonArray(new ArrayList<>(h.vary().values()))).put("length", r.body().length())
        .put("crcs", Base64.getEncoder().encodeToString(ints(blockCrcs)));
    byte[] json = j.encode().getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(json);
    ByteBuffer b = ByteBuffer.allocate(json.length + TAIL);
    b.put(json).putInt((int) crc.getValue()).putInt(json.length).putInt(MAGIC);
    return b.array();
  }

  /**
   * @return the entry in {@code file}
   * @throws IOException when it cannot be read or does not check out
   */
  static Entry read(Path file, FileChannel ch, Freshness.Heuristic heuristic) throws IOException {
    long size = ch.size();
    if (size < TAIL) {
      throw new IOException("too short");
    }
    ByteBuffer tail = ByteBuffer.allocate(TAIL);
    readFully(ch, tail, size - TAIL);
    tail.flip();
    int crc = tail.getInt();
    int len = tail.getInt();
    if (tail.getInt() != MAGIC || len <= 0 || len > size - TAIL || len > (16 << 20)) {
      throw new IOException("no trailer");
    }
    ByteBuffer json = ByteBuffer.allocate(len);
    readFully(ch, json, size - TAIL - len);
    CRC32 c = new CRC32();
    c.update(json.array());
    if ((int) c.getValue() != crc) {
      throw new IOException("trailer checksum");
    }
    try {
      JsonObject j = new JsonObject(new String(json.array(), StandardCharsets.UTF_8));
      long length = j.getLong("length");
      if (length != size - TAIL - len) {
        throw new IOException("body length");
      }
      String[] headers = j.getJsonArray("headers").stream().map(String::valueOf).toArray(String[]::new);
      List<String> fields = new ArrayList<>();
      j.getJsonArray("varyFields").forEach(o -> fields.add((String) o));
      List<String> values = new ArrayList<>();
      j.getJsonArray("varyValues").forEach(o -> values.add((String) o));
      VaryKey vary = new VaryKey(j.getBoolean("varyStar"), List.copyOf(fields),
          java.util.Collections.unmodifiableList(values));
      StoredHead head = StoredHead.restore(j.getInteger("status"), headers, j.getLong("requestTime"),
          j.getLong("responseTime"), j.getLong("initialAge"), vary, heuristic);
      int[] crcs = fromBytes(Base64.getDecoder().decode(j.getString("crcs")));
      if (crcs.length != blocks(length)) {
        throw new IOException("block checksums");
      }
      return new Entry(j.getString("key"), new StoredResponse(j.getLong("id"), head,
          new Body.OnDisk(file, length, crcs)));
    } catch (RuntimeException e) {
      throw new IOException("trailer: " + e.getMessage(), e);
    }
  }

  static int blocks(long length) {
    return (int) ((length + BLOCK - 1) / BLOCK);
  }

  static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new IOException("end of file");
      }
      p += n;
    }
  }

  private static byte[] ints(int[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  private static int[] fromBytes(byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    int[] out = new int[v.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getInt();
    }
    return out;
  }
}
