package io.frontdesk.accesslog;

import io.frontdesk.api.log.AccessLogRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access-log records to PostgreSQL in batches, on a thread of its own: event loops only
 * enqueue (a bounded queue; when it is full a record is dropped and counted, never waited for).
 * When PostgreSQL cannot take a batch, or falls so far behind that the queue would overflow,
 * batches go to the {@link Spool} on local disk and are replayed, oldest first, once it takes them;
 * rows carry (timestamp, node, sequence), so a replay never stores a row twice. Only a failure
 * of PostgreSQL itself ({@link StoreFailures}) counts as "down": a batch refused for its data is
 * split until the refused rows are found, which go to the {@link DeadLetters} file, and the rest
 * is stored (a fresh batch and a spool chunk alike, so the spool never replays a bad row forever).
 * Partitions, retention and index summaries are kept by {@link LogMaintenance} on the same thread.
 */
public final class AccessLogWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final int BATCH = 5000;
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /**
   * A busy batch leaves after 20 ms: records waiting here are what every young collection copies
   * (pauses with the log on fell from 6-7 ms to a 2.3 ms median); a quiet one waits the full linger,
   * so a node with little traffic does not commit (and fsync) fifty times a second.
   */
  private static final long BUSY_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int BUSY_ROWS = 256;
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long TOP_LISTS_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long TOP_LISTS_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Settings of the access log. */
  public record Settings(int queueCapacity, long spoolMaxBytes, int retentionDays, int minuteRollupDays,
      int hourRollupDays) {
  }

  private final AccessLogStore store;
  private final LogCopier copier;
  private final LogMaintenance maintenance;
  private final Settings settings;
  private final Path spoolDir;
  private final ConcurrentLinkedQueue<AccessLogRecord> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder written = new LongAdder();
  private final LongAdder spooled = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final DeadLetters deadLetters;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean databaseUp = true;
  private volatile String lastError;
  private volatile long spoolBytes;
  private Spool spool;
  private long seq = System.currentTimeMillis() * 1000;
  private long nextRetry;
  private long nextTopLists = System.nanoTime() + TOP_LISTS_NANOS;
  private final TopLists topLists = new TopLists();
  private boolean topListsDirty;
  /** Whether the batch being written is in the spool (read from it, or spilled while waiting). */
  private boolean batchSpooled;
  /** Whether a spill of the backlog is under way (logged once per episode). */
  private boolean spilling;

  /** @param deadLetterFile where rows PostgreSQL refuses are kept (JSON lines, owner-only) */
  public AccessLogWriter(AccessLogStore store, LogCopier copier, Path spoolDir, Path deadLetterFile,
      Settings settings) {
    this.store = store;
    this.copier = copier;
    this.maintenance = new LogMaintenance(store, settings);
    this.deadLetters = new DeadLetters(deadLetterFile, DeadLetters.MAX_BYTES);
    this.settings = settings;
    this.spoolDir = spoolDir;
    this.thread = new Thread(this::run, "frontdesk-access-log");
    this.thread.setDaemon(true);
  }

  /** Opens the spool (replaying what an earlier run left in it) and starts writing. */
  public void start() throws IOException {
    spool = new Spool(spoolDir, settings.spoolMaxBytes());
    spoolBytes = spool.bytes();
    if (!spool.isEmpty()) {
      log.info("access log: {} bytes left in the spool by an earlier run will be replayed", spool.bytes());
    }
    thread.start();
  }

  /** From an event loop: never blocks. */
  public void offer(AccessLogRecord r) {
    if (queued.incrementAndGet() > settings.queueCapacity()) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.offer(r);
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      try {
        long now = System.nanoTime();
        maintenance.runDue(now);
        if (queued.get() > spillThreshold()) {
          spillBacklog();
        }
        List<LogRow> batch = drain();
        // Top lists go out every 10 s under load, within a second or so when traffic is light.
        if (topListsDirty && databaseUp && (now - nextTopLists >= 0
            || (batch.isEmpty() && now - nextTopLists + TOP_LISTS_NANOS >= TOP_LISTS_IDLE_NANOS))) {
          flushTopLists();
          nextTopLists = System.nanoTime() + TOP_LISTS_NANOS;
        }
        if (databaseUp) {
          maintenance.summarizeDue(now);
        }
        if (!databaseUp) {
          if (!batch.isEmpty()) {
            toSpool(batch);
          }
          replay();
        } else {
          // Fresh batches go straight in and the spool is replayed (oldest first) between them:
          // rows are keyed, so the table's physical order does not matter, and a backlog on disk
          // never slows down what PostgreSQL could take directly.
          if (!batch.isEmpty() && !write(batch, false)) {
            toSpool(batch);
          }
          if (!spool.isEmpty()) {
            replay();
          }
        }
        spoolBytes = spool.bytes();
      } catch (RuntimeException | Error e) {
        log.error("access log writer failed; continuing", e);
        LockSupport.parkNanos(RETRY_NANOS);
      }
    }
    if (databaseUp && topListsDirty) {
      flushTopLists();
    }
  }

  /**
   * PostgreSQL is not keeping up (the proxy is busier than it can write, or it stalls): the
   * backlog goes to the spool rather than being dropped when the queue fills; it is written back
   * oldest first, between fresh batches.
   */
  private void spillBacklog() {
    int n = queued.get();
    if (!spilling) {
      spilling = true;
      log.info("access log: PostgreSQL is {} records behind; spooling the backlog to {}", n, spoolDir);
    }
    while (n > 0) {
      List<LogRow> batch = new ArrayList<>(Math.min(BATCH, n));
      AccessLogRecord r;
      while (batch.size() < BATCH && (r = queue.poll()) != null) {
        queued.decrementAndGet();
        batch.add(new LogRow(++seq, r));
      }
      if (batch.isEmpty()) {
        return;
      }
      toSpool(batch);
      n -= batch.size();
    }
  }

  /** Past three quarters of the queue, PostgreSQL is not keeping up: the backlog goes to disk. */
  private int spillThreshold() {
    return settings.queueCapacity() / 4 * 3;
  }

  /** Waits for a batch: up to {@link #BATCH} rows, or what arrived within the linger time. */
  private List<LogRow> drain() {
    List<LogRow> batch = new ArrayList<>(Math.min(BATCH, Math.max(16, queued.get())));
    long start = System.nanoTime();
    while (batch.size() < BATCH) {
      AccessLogRecord r = queue.poll();
      if (r == null) {
        long age = System.nanoTime() - start;
        if (!running || age >= LINGER_NANOS || (age >= BUSY_LINGER_NANOS && batch.size() >= BUSY_ROWS)
            || (!spool.isEmpty() && databaseUp)) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        continue;
      }
      queued.decrementAndGet();
      batch.add(new LogRow(++seq, r));
    }
    return batch;
  }

  /**
   * Writes a batch, spilling the backlog to the spool if PostgreSQL takes long (a fresh batch
   * goes there first, to keep the order: if it gets stored too, its replay stores nothing).
   *
   * @param fromSpool whether the batch was read from the spool (then it is there already)
   * @return whether the batch is stored or safely in the spool
   */
  private boolean write(List<LogRow> batch, boolean fromSpool) {
    batchSpooled = fromSpool;
    try {
      written.add(insertIsolating(batch, batch, fromSpool));
      if (!databaseUp) {
        log.info("access log: PostgreSQL is reachable again");
      }
      databaseUp = true;
      lastError = null;
      return true;
    } catch (Exception e) {
      if (databaseUp) {
        log.warn("access log: cannot write to PostgreSQL ({}); spooling to {}", rootMessage(e), spoolDir);
      }
      databaseUp = false;
      lastError = rootMessage(e);
      nextRetry = System.nanoTime() + RETRY_NANOS;
      return batchSpooled && !fromSpool;
    }
  }

  /** Waits for PostgreSQL; meanwhile keeps the queue from overflowing by spooling it. */
  private <T> T awaitSpilling(java.util.concurrent.CompletableFuture<T> cf, List<LogRow> batch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return cf.get(5, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        if (queued.get() > spillThreshold()) {
          if (!batchSpooled) {
            toSpool(batch);
            batchSpooled = true;
          }
          spillBacklog();
        }
      }
    }
  }

  /**
   * Inserts {@code rows}; when PostgreSQL refuses them for their data, halves them until the
   * refused rows are isolated, dead-letters those and stores the rest.
   *
   * @param whole the batch {@code rows} belong to (what goes to the spool if PostgreSQL stalls)
   * @param fromSpool whether {@code rows} were read from the spool (they may have been stored before)
   * @return the rows that were new
   * @throws Exception when PostgreSQL is unavailable (nothing is dead-lettered for that)
   */
  private int insertIsolating(List<LogRow> rows, List<LogRow> whole, boolean fromSpool) throws Exception {
    try {
      return insert(rows, whole, fromSpool);
    } catch (Exception e) {
      if (!StoreFailures.refusedRows(e)) {
        throw e;
      }
      if (rows.size() == 1) {
        deadLetter(rows.get(0), e);
        return 0;
      }
      int mid = rows.size() / 2;
      return insertIsolating(rows.subList(0, mid), whole, fromSpool)
          + insertIsolating(rows.subList(mid, rows.size()), whole, fromSpool);
    }
  }

  private void deadLetter(LogRow row, Exception e) {
    String reason = rootMessage(e);
    try {
      deadLetters.append(row, reason, StoreFailures.sqlState(e));
      deadLettered.increment();
      long n = deadLettered.sum();
      if (n == 1 || n % 1000 == 0) { // a flood of bad records must not flood the log too
        log.warn("access log: PostgreSQL refused a record ({}); kept in {} ({} so far)", reason, deadLetters.file(), n);
      }
    } catch (IOException io) {
      dropped.increment();
      log.error("access log: a record PostgreSQL refused ({}) is lost: {}", reason, io.getMessage());
    }
  }

  /** @return the rows that were new */
  private int insert(List<LogRow> batch, List<LogRow> whole, boolean fromSpool) throws Exception {
    maintenance.ensurePartitionsFor(batch);
    int added;
    try {
      added = store(batch, whole, fromSpool);
    } catch (java.util.concurrent.ExecutionException e) {
      if (StoreFailures.missingPartition(e)) {
        maintenance.forgetPartitions(); // one went missing (dropped by hand?): recreate and try once more
        maintenance.ensurePartitionsFor(batch);
        added = store(batch, whole, fromSpool);
      } else {
        throw e;
      }
    }
    // A replayed batch may hold rows stored before; which ones is unknown here, so such a batch
    // (rare) is left out of the approximate top lists rather than counted twice.
    if (added == batch.size()) {
      for (LogRow row : batch) {
        AccessLogRecord r = row.record();
        topLists.count(r.timestamp(), r.site(), r.path(), r.clientIp(), r.status());
      }
      topListsDirty = true;
    }
    return added;
  }

  /**
   * Fresh rows go in by COPY ({@link LogCopier}); a replayed chunk, or a batch COPY found a stored
   * row in, by the insert that skips stored rows.
   *
   * @return the rows that were new
   */
  private int store(List<LogRow> batch, List<LogRow> whole, boolean fromSpool) throws Exception {
    if (!fromSpool) {
      try {
        return awaitSpilling(copier.copy(batch), whole);
      } catch (java.util.concurrent.TimeoutException e) {
        copier.abort();
        throw e;
      } catch (java.util.concurrent.ExecutionException e) {
        if (!StoreFailures.duplicateRow(e)) {
          throw e;
        }
      }
    }
    return awaitSpilling(store.insert(batch).toCompletionStage().toCompletableFuture(), whole);
  }

  /** Writes the top-list counts gathered since the last time; keeps them for later if that fails. */
  private void flushTopLists() {
    List<TopLists.Count> paths = topLists.drainPaths();
    List<TopLists.Count> clients = topLists.drainClients();
    topListsDirty = false;
    try {
      await(store.addTopCounts(paths, clients));
    } catch (Exception e) {
      log.debug("access log: top lists not written yet: {}", rootMessage(e));
      topLists.restore(paths, clients);
      topListsDirty = true;
    }
  }

  private void toSpool(List<LogRow> batch) {
    try {
      spool.append(batch);
      spooled.add(batch.size());
    } catch (IOException e) {
      dropped.add(batch.size());
      lastError = "spool: " + e.getMessage();
      log.error("access log: {} records lost, the spool cannot take them: {}", batch.size(), e.getMessage());
    }
  }

  /** Replays the spool, oldest first, while PostgreSQL takes it. */
  private void replay() {
    if (!databaseUp && System.nanoTime() < nextRetry) {
      return;
    }
    try {
      Spool.Chunk c = spool.read(BATCH);
      if (c == null) {
        return;
      }
      if (!c.rows().isEmpty() && !write(c.rows(), true)) {
        return;
      }
      spool.commit(c);
      if (spool.isEmpty()) {
        spilling = false;
        log.info("access log: spool replayed");
      }
    } catch (IOException e) {
      lastError = "spool: " + e.getMessage();
      log.error("access log: reading the spool failed", e);
      LockSupport.parkNanos(RETRY_NANOS);
    }
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  // --- What operators see (/metrics, /api/v1/status).

  public int queueDepth() {
    return queued.get();
  }

  public long written() {
    return written.sum();
  }

  public long spooled() {
    return spooled.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  /** @return records PostgreSQL refused, kept in the dead-letter file instead */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** @return where refused records are kept */
  public Path deadLetterFile() {
    return deadLetters.file();
  }

  public long spoolBytes() {
    return spoolBytes;
  }

  public boolean databaseUp() {
    return databaseUp;
  }

  public String lastError() {
    return lastError;
  }

  /** Stops after writing (or spooling) what is queued; waits up to 30 s. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      copier.close();
      spool.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("closing the spool failed", e);
    }
  }
}
