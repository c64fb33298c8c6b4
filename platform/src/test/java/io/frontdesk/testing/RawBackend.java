package io.frontdesk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A backend on 127.0.0.1 that parses HTTP/1.1 by the letter (RFC 9112) and records exactly what
 * reached it: each request's head and body bytes, whether the body ended properly, and anything
 * that was not a valid request. For tests about what a proxy forwards, byte for byte.
 */
public final class RawBackend implements AutoCloseable {

  /** One request as it arrived. {@code complete} is false when the connection ended mid-body. */
  public record Seen(String head, byte[] body, boolean complete) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "raw-backend");
    t.setDaemon(true);
    return t;
  });
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> garbage = new CopyOnWriteArrayList<>();
  private final Function<Seen, String> responder;

  /** @param responder the whole raw response to a request */
  public RawBackend(Function<Seen, String> responder) {
    this.responder = responder;
    try {
      server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    threads.execute(this::acceptLoop);
  }

  /** A backend answering every request with 200 and a two-byte body. */
  public static RawBackend ok() {
    return new RawBackend(s -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  }

  public int port() {
    return server.getLocalPort();
  }

  public List<Seen> requests() {
    return List.copyOf(seen);
  }

  /** @return descriptions of whatever arrived that was not a valid HTTP/1.1 request */
  public List<String> garbage() {
    return List.copyOf(garbage);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        threads.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(30_000);
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        if (!requestLine.matches("[A-Z]+ \\S+ HTTP/1\\.[01]")) {
          garbage.add("not a request line: " + requestLine);
          return;
        }
        Seen partial = new Seen(head, new byte[0], false);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        String te = partial.header("transfer-encoding");
        String cl = partial.header("content-length");
        if (te != null) {
          complete = te.toLowerCase(Locale.ROOT).equals("chunked") && readChunked(in, body);
        } else if (cl != null) {
          complete = readFixed(in, body, Long.parseLong(cl));
        } else {
          complete = true;
        }
        Seen req = new Seen(head, body.toByteArray(), complete);
        seen.add(req);
        if (!complete) {
          return;
        }
        String response = responder.apply(req);
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
          return; // closes the connection, as the response said
        }
        if (req.requestLine().startsWith("GET") && "websocket".equalsIgnoreCase(req.header("upgrade"))) {
          in.transferTo(OutputStream.nullOutputStream()); // a tunnel, if the proxy opens one
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // connection ended
    }
  }

  /** @return the head up to and including the blank line, or null at a clean end of stream */
  private String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (head.size() > 0) {
          garbage.add("connection ended inside a head: " + head.toString(StandardCharsets.ISO_8859_1));
        }
        return null;
      }
      head.write(b);
      String h = head.toString(StandardCharsets.ISO_8859_1);
      if (h.endsWith("\r\n\r\n")) {
        return h;
      }
      if (head.size() > 65_536) {
        garbage.add("head too long");
        return null;
      }
    }
  }

  private static boolean readFixed(InputStream in, ByteArrayOutputStream body, long n) throws IOException {
    for (long i = 0; i < n; i++) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      body.write(b);
    }
    return true;
  }

  private boolean readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String line = readLine(in);
      if (line == null) {
        return false;
      }
      String size = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
      if (!size.matches("[0-9A-Fa-f]{1,8}")) {
        garbage.add("bad chunk size line: '" + line + "'");
        return false;
      }
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        while (true) { // trailers, then the blank line
          String t = readLine(in);
          if (t == null) {
            return false;
          }
          if (t.isEmpty()) {
            return true;
          }
        }
      }
      if (!readFixed(in, body, n)) {
        return false;
      }
      String crlf = readLine(in);
      if (crlf == null) {
        return false;
      }
      if (!crlf.isEmpty()) {
        garbage.add("chunk data longer than its size");
        return false;
      }
    }
  }

  /** @return a CRLF-terminated line without its CRLF, or null at end of stream */
  private String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\r') {
          garbage.add("bare LF");
          return null;
        }
        return sb.substring(0, sb.length() - 1);
      }
      sb.append((char) b);
    }
  }

  /** @return the requests seen so far, waiting (bounded) until at least {@code n} arrived */
  public List<Seen> awaitRequests(int n) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (seen.size() < n && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new ArrayList<>(seen);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
