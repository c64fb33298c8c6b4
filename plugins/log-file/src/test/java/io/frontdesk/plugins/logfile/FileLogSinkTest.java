package io.frontdesk.plugins.logfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink on its own, with a clock the test moves. */
class FileLogSinkTest {

  @TempDir
  Path dir;

  /** A clock that stays where the test puts it. */
  static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(String iso) {
      now = Instant.parse(iso);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static void write(FileLogSink sink, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      sink.accept(FrontdeskTestKit.sampleRecord("r" + i, 200));
    }
    sink.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static List<String> requestIds(Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      ids.add(new JsonObject(line).getString("requestId"));
    }
    return ids;
  }

  List<Path> rotated() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().equals("access.jsonl")).sorted().toList();
    }
  }

  @Test
  void sizeRotationKeepsTheNewestFilesWithNoLineLostBetweenThem() throws Exception {
    Path file = dir.resolve("access.jsonl");
    FileLogSink sink = new FileLogSink(file, 10_000, "none", 3, new SettableClock("2026-11-27T10:00:00Z"));
    write(sink, 0, 200);
    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<Path> kept = rotated();
    assertThat(kept).hasSize(3); // all rotated in one second: access-<stamp>.jsonl, -1, -2, … minus pruned ones
    assertThat(kept).allSatisfy(p -> assertThat(Files.size(p)).isLessThanOrEqualTo(10_000));
    // Oldest kept first: rotated files ordered by their counter, then the current file.
    List<Path> ordered = new ArrayList<>(kept);
    ordered.sort((a, b) -> Integer.compare(counter(a), counter(b)));
    List<String> ids = new ArrayList<>();
    for (Path p : ordered) {
      ids.addAll(requestIds(p));
    }
    ids.addAll(requestIds(file));
    int first = Integer.parseInt(ids.get(0).substring(1));
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo("r" + (first + i));
    }
    assertThat(ids.get(ids.size() - 1)).isEqualTo("r199");
    assertThat(sink.dropped()).isZero();
  }

  private static int counter(Path p) {
    String n = p.getFileName().toString().replace(".jsonl", "");
    String[] parts = n.split("-");
    return parts.length == 4 ? Integer.parseInt(parts[3]) : 0;
  }

  @Test
  void hourlyRotationStartsANewFileWhenTheHourTurns() throws Exception {
    Path file = dir.resolve("access.jsonl");
    SettableClock clock = new SettableClock("2026-11-27T10:59:58Z");
    FileLogSink sink = new FileLogSink(file, 100_000_000, "hourly", 24, clock);
    write(sink, 0, 3);
    clock.now = clock.now.plus(Duration.ofSeconds(3));
    write(sink, 3, 5);
    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    Path old = dir.resolve("access-20261127-110001.jsonl");
    assertThat(requestIds(old)).containsExactly("r0", "r1", "r2");
    assertThat(requestIds(file)).containsExactly("r3", "r4");
  }

  @Test
  void aFileLeftFromAnEarlierDayMovesAsideBeforeNewLines() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Files.writeString(file, "{\"requestId\":\"yesterday\"}\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-26T23:30:00Z")));
    FileLogSink sink = new FileLogSink(file, 100_000_000, "daily", 7, new SettableClock("2026-11-27T08:00:00Z"));
    write(sink, 0, 1);
    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(requestIds(dir.resolve("access-20261127-080000.jsonl"))).containsExactly("yesterday");
    assertThat(requestIds(file)).containsExactly("r0");
  }

  @Test
  void keepZeroDeletesRotatedFilesAndLeavesOtherFilesAlone() throws Exception {
    Path file = dir.resolve("access.jsonl");
    Path unrelated = Files.writeString(dir.resolve("access-notes.jsonl"), "mine\n");
    FileLogSink sink = new FileLogSink(file, 2_000, "none", 0, new SettableClock("2026-11-27T10:00:00Z"));
    write(sink, 0, 50);
    sink.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(rotated()).containsExactly(unrelated);
    assertThat(requestIds(file)).last().isEqualTo("r49");
  }
}
