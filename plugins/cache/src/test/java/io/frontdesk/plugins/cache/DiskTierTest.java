package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskTierTest {

  static final long T = 1_800_000_000_000L;
  static final Freshness.Heuristic H = new Freshness.Heuristic(0.1, 86400);

  @TempDir
  Path dir;
  DiskTier tier;
  Vertx vertx;

  @AfterEach
  void close() {
    if (tier != null) {
      tier.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static StoredResponse response(byte[] body, String... fields) {
    TestHeaders f = TestHeaders.of(fields);
    f.add("Date", HttpDate.format(T / 1000));
    StoredHead h = StoredHead.capture(200, f, T - 5, T, VaryKey.fieldsOf(f.getAll("vary"))
        .of(TestHeaders.of("Accept-Encoding", "gzip")), H);
    return new StoredResponse(h, new Body.InMemory(body));
  }

  static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!done.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void whatIsWrittenThroughIsReadBackAfterARestart() throws Exception {
    tier = new DiskTier(dir, 10 << 20, H, "t");
    byte[] body = bytes(200_000, 1);
    StoredResponse r = response(body, "Cache-Control", "max-age=600", "Vary", "Accept-Encoding", "X-Test", "1");
    tier.writeThrough("https://a/x", r);
    await(() -> !tier.get("https://a/x").isEmpty());
    tier.close();

    tier = new DiskTier(dir, 10 << 20, H, "t");
    await(tier::loaded);
    List<StoredResponse> back = tier.get("https://a/x");
    assertThat(back).hasSize(1);
    StoredResponse b = back.get(0);
    assertThat(b.id()).isEqualTo(r.id());
    assertThat(b.head().headers()).containsExactly(r.head().headers());
    assertThat(b.head().correctedInitialAge()).isEqualTo(r.head().correctedInitialAge());
    assertThat(b.head().policy()).isEqualTo(r.head().policy());
    assertThat(b.head().vary().matches(TestHeaders.of("Accept-Encoding", "gzip"))).isTrue();
    assertThat(b.body().length()).isEqualTo(body.length);
    assertThat(tier.read((Body.OnDisk) b.body(), 0, body.length).get(10, TimeUnit.SECONDS)).isEqualTo(body);
    assertThat(tier.read((Body.OnDisk) b.body(), 65_000, 1000).get(10, TimeUnit.SECONDS))
        .isEqualTo(java.util.Arrays.copyOfRange(body, 65_000, 66_000));
  }

  @Test
  void aBlockThatDoesNotCheckOutIsNeverHandedOut() throws Exception {
    tier = new DiskTier(dir, 10 << 20, H, "t");
    byte[] body = bytes(150_000, 2);
    tier.writeThrough("k", response(body, "Cache-Control", "max-age=600"));
    await(() -> !tier.get("k").isEmpty());
    Body.OnDisk d = (Body.OnDisk) tier.get("k").get(0).body();
    try (FileChannel ch = FileChannel.open(d.file(), StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (body[70_000] ^ 1)}), 70_000);
    }
    assertThat(tier.read(d, 0, 1000).get(10, TimeUnit.SECONDS)).hasSize(1000); // block 0 is fine
    CompletableFuture<byte[]> bad = tier.read(d, 66_000, 10);
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("does not check out");
  }

  @Test
  void filesThatDoNotCheckOutAreDroppedAtStart() throws Exception {
    tier = new DiskTier(dir, 10 << 20, H, "t");
    tier.writeThrough("good", response(bytes(10, 3), "Cache-Control", "max-age=600"));
    tier.writeThrough("cut", response(bytes(10, 4), "Cache-Control", "max-age=600"));
    await(() -> !tier.get("good").isEmpty() && !tier.get("cut").isEmpty());
    Path cut = ((Body.OnDisk) tier.get("cut").get(0).body()).file();
    tier.close();
    try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    Files.writeString(dir.resolve("junk.fdc"), "not a cache file");
    Files.writeString(dir.resolve("left.tmp"), "half written");

    tier = new DiskTier(dir, 10 << 20, H, "t");
    await(tier::loaded);
    assertThat(tier.get("good")).hasSize(1);
    assertThat(tier.get("cut")).isEmpty();
    assertThat(Files.exists(cut)).isFalse();
    assertThat(Files.exists(dir.resolve("junk.fdc"))).isFalse();
    assertThat(Files.exists(dir.resolve("left.tmp"))).isFalse();
  }

  @Test
  void staysWithinItsBoundAndDeletesWhatItEvicts() throws Exception {
    tier = new DiskTier(dir, 1 << 20, H, "t");
    for (int i = 0; i < 30; i++) {
      tier.writeThrough("k" + i, response(bytes(100_000, i), "Cache-Control", "max-age=600"));
    }
    await(() -> {
      try (var files = Files.list(dir)) {
        long fdc = files.filter(p -> p.toString().endsWith(".fdc")).count();
        tier.use(); // every write indexed: what is left plus what was evicted
        return tier.use()[0] + tier.evictions() == 30 && tier.use()[1] <= (1 << 20) && fdc == tier.use()[0];
      } catch (IOException e) {
        return false;
      }
    });
    assertThat(tier.use()[0]).isBetween(5L, 10L);
  }

  @Test
  void aBodyTooLargeForMemorySpillsToDiskAsItStreams() throws Exception {
    tier = new DiskTier(dir, 10 << 20, H, "t");
    Fill fill = new Fill("big", 1000, tier);
    StoredHead head = response(new byte[0], "Cache-Control", "max-age=600").head();
    fill.head(head, -1);
    byte[] body = bytes(300_000, 5);
    for (int i = 0; i < body.length; i += 7000) {
      fill.append(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 7000)));
    }
    fill.complete();
    await(() -> fill.state() == Fill.State.DONE);
    Body.OnDisk d = (Body.OnDisk) fill.result().body();
    assertThat(tier.read(d, 0, body.length).get(10, TimeUnit.SECONDS)).isEqualTo(body);
  }

  @Test
  void aDiskStreamDeliversEveryBlockInOrderWithBackPressure() throws Exception {
    vertx = Vertx.vertx();
    tier = new DiskTier(dir, 10 << 20, H, "t");
    byte[] body = bytes(600_000, 6);
    tier.writeThrough("s", response(body, "Cache-Control", "max-age=600"));
    await(() -> !tier.get("s").isEmpty());
    Body.OnDisk d = (Body.OnDisk) tier.get("s").get(0).body();
    CompletableFuture<Buffer> all = new CompletableFuture<>();
    var ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> DiskBodyStream.open(tier, d, ctx, 100, 500_000).onSuccess(s -> {
      Buffer got = Buffer.buffer();
      s.handler(b -> {
        got.appendBuffer(b);
        s.pause();
        vertx.setTimer(1, t -> s.resume());
      });
      s.endHandler(x -> all.complete(got));
      s.exceptionHandler(all::completeExceptionally);
    }).onFailure(all::completeExceptionally));
    assertThat(all.get(10, TimeUnit.SECONDS).getBytes()).isEqualTo(java.util.Arrays.copyOfRange(body, 100, 500_100));
  }
}
