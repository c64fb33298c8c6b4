package io.frontdesk.plugins.logfile;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.api.log.LogSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to a file from a thread of its own (accept only enqueues). Rotation renames the
 * file to {@code <name>-<yyyyMMdd-HHmmss>.<ext>} and starts a new one.
 */
final class FileLogSink implements LogSink {

  private static final Logger log = LoggerFactory.getLogger(FileLogSink.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final Path path;
  private final long maxBytes;
  private final String rotate;
  private final int keep;
  private final Clock clock;
  private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(50_000);
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean running = true;
  private OutputStream out;
  private long size;
  private String period;
  private String lastStamp;
  private int sameSecond;

  FileLogSink(Path path, long maxBytes, String rotate, int keep, Clock clock) {
    this.path = path;
    this.maxBytes = maxBytes;
    this.rotate = rotate;
    this.keep = keep;
    this.clock = clock;
    this.thread = new Thread(this::run, "log-file " + path.getFileName());
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void accept(AccessLogRecord record) {
    if (!queue.offer(record)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public Future<Void> flush() {
    Promise<Void> p = Promise.promise();
    if (!queue.offer(p)) {
      p.fail("the queue is full");
    }
    return p.future();
  }

  @Override
  public Future<Void> close() {
    Future<Void> f = flush();
    return f.eventually(() -> {
      running = false;
      thread.interrupt();
      return Future.succeededFuture();
    });
  }

  @SuppressWarnings("unchecked")
  private void run() {
    List<Object> batch = new ArrayList<>(1024);
    while (running || !queue.isEmpty()) {
      try {
        Object first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 1023);
        for (Object o : batch) {
          if (o instanceof AccessLogRecord r) {
            write(r);
          } else if (o instanceof Promise<?> p) {
            if (out != null) {
              out.flush();
            }
            ((Promise<Void>) p).tryComplete();
          }
        }
        if (out != null) {
          out.flush();
        }
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
      } catch (IOException | RuntimeException e) {
        log.warn("log-file: writing {} failed: {}", path, e.toString());
      } finally {
        batch.clear();
      }
    }
    closeQuietly();
  }

  private void write(AccessLogRecord r) throws IOException {
    byte[] line = (r.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    String now = period(clock.instant());
    if (out == null) {
      open(now);
    } else if (size + line.length > maxBytes || !now.equals(period)) {
      rotate(now);
    }
    out.write(line);
    size += line.length;
  }

  private String period(Instant t) {
    return switch (rotate) {
      case "hourly" -> HOUR.format(t);
      case "daily" -> DAY.format(t);
      default -> "";
    };
  }

  private void open(String now) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    if (period == null && Files.exists(path) && Files.size(path) > 0 && !period(Files.getLastModifiedTime(path).toInstant()).equals(now)) {
      period = now; // a file left from an earlier period (a restart the next day) moves aside first
      rotate(now);
      return;
    }
    out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND), 64 * 1024);
    size = Files.size(path);
    period = now;
  }

  private void rotate(String now) throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String stamp = STAMP.format(clock.instant());
    // Several rotations in one second get -1, -2, … in order, even after older ones were pruned.
    sameSecond = stamp.equals(lastStamp) ? sameSecond + 1 : 0;
    lastStamp = stamp;
    Path target = path.resolveSibling(base + "-" + stamp + (sameSecond == 0 ? "" : "-" + sameSecond) + ext);
    while (Files.exists(target)) {
      target = path.resolveSibling(base + "-" + stamp + "-" + ++sameSecond + ext);
    }
    Files.move(path, target);
    prune(base, ext);
    open(now);
  }

  /** Keeps the newest {@code keep} rotated files (only names this sink gave them). */
  private void prune(String base, String ext) throws IOException {
    Pattern ours = Pattern.compile(Pattern.quote(base) + "-(\\d{8}-\\d{6})(?:-(\\d{1,9}))?" + Pattern.quote(ext));
    List<String> rotated = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(path.toAbsolutePath().getParent())) {
      for (Path p : ds) {
        Matcher m = ours.matcher(p.getFileName().toString());
        if (m.matches()) {
          // Sortable key: the stamp, then the same-second counter (none = 0).
          rotated.add(m.group(1) + String.format("%09d", m.group(2) == null ? 0 : Integer.parseInt(m.group(2)))
              + "/" + p.getFileName());
        }
      }
    }
    rotated.sort(null);
    for (int i = 0; i < rotated.size() - keep; i++) {
      String name = rotated.get(i);
      Files.deleteIfExists(path.resolveSibling(name.substring(name.indexOf('/') + 1)));
    }
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException ignored) {
      // closing at shutdown
    }
    if (dropped.get() > 0) {
      log.warn("log-file: {} records were dropped because the writer fell behind", dropped.get());
    }
  }
}
