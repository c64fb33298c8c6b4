package io.frontdesk.accesslog;

import static io.frontdesk.accesslog.AccessLogWriter.await;
import static io.frontdesk.accesslog.AccessLogWriter.rootMessage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log's housekeeping, run by the writer's thread between batches: day partitions
 * created ahead (and on demand for a row from another day), retention every half hour, and the
 * BRIN summaries of new pages every ten seconds.
 */
final class LogMaintenance {

  private static final Logger log = LoggerFactory.getLogger(LogMaintenance.class);
  private static final long MAINTENANCE_NANOS = TimeUnit.MINUTES.toNanos(30);
  private static final long RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long SUMMARIZE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AccessLogStore store;
  private final AccessLogWriter.Settings settings;
  /** Days whose partition is known to exist. */
  private final Set<LocalDate> partitions = new TreeSet<>();
  private long nextMaintenance = System.nanoTime();
  private long nextSummary = System.nanoTime() + SUMMARIZE_NANOS;

  LogMaintenance(AccessLogStore store, AccessLogWriter.Settings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** Partitions and retention, when due. */
  void runDue(long now) {
    if (now - nextMaintenance < 0) {
      return;
    }
    nextMaintenance = now + MAINTENANCE_NANOS;
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try {
      await(store.ensurePartitions(today, 3));
      for (int d = -1; d <= 3; d++) {
        partitions.add(today.plusDays(d));
      }
      List<String> dropped = await(store.applyRetention(today, settings.retentionDays(),
          settings.minuteRollupDays(), settings.hourRollupDays()));
      if (!dropped.isEmpty()) {
        log.info("access log: dropped partitions past retention ({} days): {}", settings.retentionDays(), dropped);
        partitions.removeIf(d -> d.isBefore(today.minusDays(settings.retentionDays())));
      }
    } catch (Exception e) {
      log.warn("access log: partition maintenance failed ({}); retrying later", rootMessage(e));
      nextMaintenance = System.nanoTime() + RETRY_NANOS;
    }
  }

  /**
   * Keeps the BRIN summaries current, so searches by site or client skip the pages they can (a
   * round that would wait for a vacuum is skipped).
   */
  void summarizeDue(long now) {
    if (now - nextSummary < 0) {
      return;
    }
    nextSummary = now + SUMMARIZE_NANOS;
    try {
      await(store.summarizeNewPages());
    } catch (Exception e) {
      log.debug("access log: summarizing new pages failed: {}", rootMessage(e));
    }
  }

  /** Creates the partitions of the days in {@code batch} not known to exist. */
  void ensurePartitionsFor(List<LogRow> batch) throws Exception {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (LogRow r : batch) {
      long day = Math.floorDiv(r.record().timestamp().getEpochSecond(), 86_400L);
      first = Math.min(first, day);
      last = Math.max(last, day);
    }
    // Every day from the first to the last (a batch spans one or two), not only those seen.
    for (long d = first; d <= last && last - first < 400; d++) {
      LocalDate day = LocalDate.ofEpochDay(d);
      if (!partitions.contains(day)) {
        await(store.createPartition(day));
        partitions.add(day);
      }
    }
    if (last - first >= 400) { // rows far apart (an old spool): only their own days
      for (LogRow r : batch) {
        LocalDate day = LocalDate.ofInstant(r.record().timestamp(), ZoneOffset.UTC);
        if (partitions.add(day)) {
          try {
            await(store.createPartition(day));
          } catch (Exception e) {
            partitions.remove(day);
            throw e;
          }
        }
      }
    }
  }

  /** After a partition went missing: check every day again. */
  void forgetPartitions() {
    partitions.clear();
  }
}
