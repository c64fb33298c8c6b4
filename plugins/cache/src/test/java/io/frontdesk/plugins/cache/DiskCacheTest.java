package io.frontdesk.plugins.cache;

import static io.frontdesk.plugins.cache.Origin.Reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.frontdesk.testkit.FrontdeskTestKit.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The disk tier through a real node: large bodies, ranges, restarts of the store, damaged files. */
class DiskCacheTest {

  static FrontdeskTestKit fd;
  static Origin origin;
  static String binding;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final byte[] BIG = new byte[2 << 20];

  @BeforeAll
  static void start() throws Exception {
    new Random(7).nextBytes(BIG);
    origin = new Origin();
    fd = FrontdeskTestKit.builder().plugin("cache", new CacheFilterFactory()).start();
    fd.routeTo("origin", "/", origin.port());
    binding = fd.bind("cache", "route", "origin", new JsonObject()
        .put("disk", new JsonObject().put("enabled", true).put("maxBytes", 64L << 20))
        .put("maxObjectBytes", 4L << 20).put("memory", new JsonObject().put("maxObjectBytes", 1024)));
  }

  @AfterAll
  static void stop() {
    fd.close();
    origin.close();
  }

  static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fd.proxyUrl() + path));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static Path zoneDir() {
    return fd.dataDirectory().resolve("plugin-data").resolve("cache").resolve(binding);
  }

  static List<Path> files() throws IOException {
    if (!Files.isDirectory(zoneDir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(zoneDir())) {
      return s.filter(p -> p.toString().endsWith(".fdc")).toList();
    }
  }

  static void awaitFiles(int n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (files().size() < n) {
      assertThat(System.currentTimeMillis()).as("files in %s: %s", zoneDir(), files()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aLargeBodyIsStoredOnDiskAndServedFromItWithRanges() throws Exception {
    origin.on("/big", new Reply(200, List.of("Cache-Control", "max-age=600", "Content-Type", "application/octet-stream"),
        Buffer.buffer(BIG), 0, false, null));
    HttpResponse<byte[]> first = get("/big");
    assertThat(first.body()).isEqualTo(BIG);
    long deadline = System.currentTimeMillis() + 10_000;
    HttpResponse<byte[]> hit;
    do {
      Thread.sleep(20);
      hit = get("/big");
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
    } while (!hit.headers().firstValue("cache-status").orElse("").contains("hit"));
    assertThat(hit.body()).isEqualTo(BIG);
    assertThat(hit.headers().firstValue("content-length")).hasValue(String.valueOf(BIG.length));

    HttpResponse<byte[]> range = get("/big", "Range", "bytes=1000000-1000099");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(BIG, 1_000_000, 1_000_100));
    assertThat(range.headers().firstValue("content-range")).hasValue("bytes 1000000-1000099/" + BIG.length);
    assertThat(origin.calls("/big")).isEqualTo(1);
  }

  @Test
  void aDamagedFileIsDroppedAndFetchedAgainNeverServed() throws Exception {
    byte[] body = java.util.Arrays.copyOf(BIG, 300_000);
    origin.on("/damaged", new Reply(200, List.of("Cache-Control", "max-age=600"), Buffer.buffer(body), 0, false, null));
    int before = files().size();
    get("/damaged");
    awaitFiles(before + 1);
    Path file = null;
    for (Path p : files()) {
      if (Files.size(p) > 300_000 && Files.size(p) < 301_000) {
        file = p;
      }
    }
    assertThat(file).isNotNull();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~body[10]}), 10);
    }
    HttpResponse<byte[]> again = get("/damaged");
    assertThat(again.body()).isEqualTo(body);
    assertThat(again.headers().firstValue("cache-status").orElse("")).contains("fwd=uri-miss")
        .contains("stored body unreadable");
    assertThat(origin.calls("/damaged")).isEqualTo(2);
  }

  @Test
  void whatIsOnDiskOutlivesTheStore() throws Exception {
    origin.on("/kept", Reply.of(200, "small and kept", "Cache-Control", "max-age=600"));
    int before = files().size();
    assertThat(fd.get("/kept").body()).isEqualTo("small and kept");
    awaitFiles(before + 1);
    // Disabling the binding closes its store (memory gone); enabling it opens a new one, read from disk.
    assertThat(fd.admin("PATCH", "/plugins/cache/bindings/" + binding, new JsonObject().put("enabled", false))
        .status()).isEqualTo(200);
    Thread.sleep(600); // the old filter is closed once its snapshot has drained
    assertThat(fd.admin("PATCH", "/plugins/cache/bindings/" + binding, new JsonObject().put("enabled", true))
        .status()).isEqualTo(200);
    long deadline = System.currentTimeMillis() + 10_000;
    Response r;
    do {
      Thread.sleep(50);
      r = fd.get("/kept");
      assertThat(System.currentTimeMillis()).isLessThan(deadline);
    } while (!r.header("cache-status").contains("hit"));
    assertThat(r.body()).isEqualTo("small and kept");
    assertThat(origin.calls("/kept")).isEqualTo(1);
  }
}
