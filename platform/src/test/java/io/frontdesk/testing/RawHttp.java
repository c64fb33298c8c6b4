package io.frontdesk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket speaking HTTP/1.x by hand, for what clients rarely do (pipelining, 100-continue, garbage). */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  public RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp send(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until {@code marker} has been seen (in everything read so far); returns all text read. */
  public String readUntil(String marker) {
    byte[] buf = new byte[8192];
    try {
      while (!seen.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        seen.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // return what we have
    } catch (IOException e) {
      // connection reset: return what we have
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until the server closes the connection (or 10 s pass). */
  public String readAll() {
    return readUntil("\u0000never\u0000");
  }

  /** @return whether the server closed the connection within {@code millis} */
  public boolean closedWithin(int millis) {
    try {
      socket.setSoTimeout(millis);
      byte[] buf = new byte[4096];
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return true;
        }
        seen.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** @return how often {@code s} occurs in {@code text} */
  public static int count(String text, String s) {
    int n = 0;
    for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
