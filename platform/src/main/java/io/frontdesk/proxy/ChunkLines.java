package io.frontdesk.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows the framing of an HTTP/1 request stream on its raw bytes, ahead of Netty's decoder, for
 * the one thing that decoder lets through: a chunk-size line with whitespace that does not start an
 * extension ({@code "3 \r\n"}, {@code " 3\r\n"}, {@code "3 x\r\n"}). RFC 9112 7.1 allows only hex
 * digits, then optionally {@code BWS ";" …}. It counts request heads so that the connection can
 * tell which request's body is broken; everything else is left to the decoder.
 */
final class ChunkLines {

  private static final int HEAD = 0;
  private static final int CHUNK_SIZE = 1;
  private static final int CHUNK_DATA = 2;
  private static final int CHUNK_END = 3;
  private static final int TRAILERS = 4;
  private static final int FIXED = 5;
  private static final int OFF = 6;
  private static final int MAX_LINE = 1024;

  private int state = HEAD;
  private final StringBuilder line = new StringBuilder(64);
  private boolean lineTooLong;
  private boolean keep;
  private int lineLen;
  private byte lastByte;
  private boolean inHead;
  private boolean chunked;
  private long contentLength;
  private long remaining;
  private int heads;

  /**
   * @return the 1-based number of the request whose chunk-size line is malformed, or 0 when this
   *     buffer shows none
   */
  int feed(ByteBuf buf) {
    int i = buf.readerIndex();
    int end = buf.writerIndex();
    while (i < end && state != OFF) {
      if (state == CHUNK_DATA || state == FIXED) {
        int n = (int) Math.min(remaining, end - i);
        i += n;
        remaining -= n;
        if (remaining == 0) {
          state = state == FIXED ? HEAD : CHUNK_END;
          remaining = 2;
        }
        continue;
      }
      if (state == CHUNK_END) {
        i++;
        if (--remaining == 0) {
          state = CHUNK_SIZE;
        }
        continue;
      }
      // Lines: find the LF natively; keep only the bytes a decision needs.
      int lf = buf.indexOf(i, end, (byte) '\n');
      int segEnd = lf < 0 ? end : lf;
      take(buf, i, segEnd);
      if (lf < 0) {
        break;
      }
      i = lf + 1;
      if (lineLen > 0 && lastByte == '\r') {
        lineLen--;
        if (line.length() > lineLen) {
          line.setLength(lineLen);
        }
      }
      int broken = endOfLine();
      line.setLength(0);
      lineLen = 0;
      lineTooLong = false;
      if (broken != 0) {
        state = OFF; // the connection closes after this request
        return broken;
      }
    }
    return 0;
  }

  /** Counts bytes {@code [from, to)} into the current line, copying those a decision needs. */
  private void take(ByteBuf buf, int from, int to) {
    if (from == to) {
      return;
    }
    if (lineLen == 0) {
      byte first = buf.getByte(from);
      keep = state == CHUNK_SIZE || (state == HEAD && (!inHead || first == 't' || first == 'T' || first == 'c'
          || first == 'C'));
    }
    lineLen += to - from;
    lastByte = buf.getByte(to - 1);
    if (keep) {
      int cap = state == HEAD && !inHead ? 16 : MAX_LINE; // of a request line only "PRI * HTTP/2" matters
      int room = cap - line.length();
      int n = Math.min(room, to - from);
      for (int k = 0; k < n; k++) {
        line.append((char) (buf.getByte(from + k) & 0xff));
      }
      if (n < to - from) {
        lineTooLong = true;
      }
    }
  }

  /** @return the number of a request whose chunk line is malformed, or 0 */
  private int endOfLine() {
    switch (state) {
      case HEAD -> headLine();
      case CHUNK_SIZE -> {
        if (lineTooLong) {
          state = OFF; // long extensions: left to the decoder
          return 0;
        }
        long size = chunkSize(line);
        if (size < 0) {
          return heads;
        }
        state = size == 0 ? TRAILERS : CHUNK_DATA;
        remaining = size;
      }
      case TRAILERS -> {
        if (lineLen == 0) {
          state = HEAD;
        }
      }
      default -> {
      }
    }
    return 0;
  }

  private void headLine() {
    if (!inHead) {
      if (lineLen == 0) {
        return; // empty lines before a request line are skipped
      }
      if (line.indexOf("PRI * HTTP/2") == 0) {
        state = OFF; // HTTP/2 with prior knowledge: not ours
        return;
      }
      inHead = true;
      chunked = false;
      contentLength = 0;
      return;
    }
    if (lineLen == 0) {
      inHead = false;
      heads++;
      if (chunked) {
        state = CHUNK_SIZE;
      } else if (contentLength > 0) {
        state = FIXED;
        remaining = contentLength;
      }
      return;
    }
    if (lineTooLong || !keep) {
      return;
    }
    int colon = line.indexOf(":");
    if (colon <= 0) {
      return;
    }
    String name = line.substring(0, colon).trim();
    String value = line.substring(colon + 1).trim();
    if (name.equalsIgnoreCase("transfer-encoding")) {
      String[] codings = value.split(",");
      chunked = codings[codings.length - 1].trim().equalsIgnoreCase("chunked");
    } else if (name.equalsIgnoreCase("content-length") && !value.isEmpty() && value.length() < 19
        && value.chars().allMatch(Character::isDigit)) {
      contentLength = Long.parseLong(value);
    }
  }

  /** @return the size, or -1 when the line is not {@code HEXDIG+ [BWS ";" …]} */
  static long chunkSize(CharSequence s) {
    int i = 0;
    long size = 0;
    while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
      if (i >= 15) {
        return -1; // past 2^60: the decoder refuses it too
      }
      size = size * 16 + Character.digit(s.charAt(i), 16);
      i++;
    }
    if (i == 0) {
      return -1;
    }
    int j = i;
    while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
      j++;
    }
    if (j == s.length()) {
      return j == i ? size : -1; // whitespace that starts no extension
    }
    return s.charAt(j) == ';' ? size : -1;
  }
}
