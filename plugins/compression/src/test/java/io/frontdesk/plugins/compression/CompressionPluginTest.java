package io.frontdesk.plugins.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin in a real Frontdesk, in front of a real backend, seen by a real HTTP client. */
class CompressionPluginTest {

  static FrontdeskTestKit fd;
  static Backend backend;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    backend = new Backend();
    fd = FrontdeskTestKit.builder().plugin("compression", new CompressionFilterFactory()).start();
    fd.routeTo("app", "/", backend.port());
    fd.routeTo("up", "/upload", fd.backendPort()); // the test kit's echo backend
    fd.bind("compression", "route", "app", new JsonObject());
    fd.bind("compression", "route", "up", new JsonObject().put("decompressRequests", true)
        .put("maxDecompressedBytes", 1024 * 1024));
  }

  @AfterAll
  static void stop() {
    fd.close();
    backend.close();
  }

  static HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
    return send("GET", pathAndQuery, headers);
  }

  static HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fd.proxyUrl() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void compressesAPageWithTheNegotiatedCodingAndFixesTheHeaders(Coding coding) throws Exception {
    HttpResponse<byte[]> r = get("/page?h=ETag:%22v1%22&h=Accept-Ranges:bytes", "Accept-Encoding", coding.token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-encoding")).hasValue(coding.token);
    assertThat(r.headers().allValues("vary")).contains("Accept-Encoding");
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    assertThat(r.headers().firstValue("accept-ranges")).isEmpty();
    assertThat(r.headers().firstValue("etag")).hasValue("W/\"v1\"");
    assertThat(r.body().length).isLessThan(102400 * 3 / 5);
    assertThat(CodecRoundTripTest.decode(coding, r.body())).isEqualTo(Text.bytes(102400, 1));
  }

  @Test
  void prefersTheOperatorsOrderAmongEqualChoicesAndHonoursQValues() throws Exception {
    assertThat(get("/page", "Accept-Encoding", "gzip, deflate, br, zstd").headers().firstValue("content-encoding"))
        .hasValue("br");
    assertThat(get("/page", "Accept-Encoding", "gzip;q=1, br;q=0.5").headers().firstValue("content-encoding"))
        .hasValue("gzip");
    assertThat(get("/page", "Accept-Encoding", "br;q=0, *").headers().firstValue("content-encoding"))
        .hasValue("zstd");
  }

  @Test
  void withoutAcceptEncodingTheBodyIsUntouchedButVaryIsSet() throws Exception {
    HttpResponse<byte[]> r = get("/page");
    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(r.headers().firstValue("content-length")).hasValue("102400");
    assertThat(r.headers().allValues("vary")).contains("Accept-Encoding");
    assertThat(r.body()).isEqualTo(Text.bytes(102400, 1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "already encoded        | /page?h=Content-Encoding:br",
      "no-transform           | /page?h=Cache-Control:public,%20no-transform",
      "a range                | /page?status=206&h=Content-Range:bytes%200-102399/200000",
      "an image               | /page?type=image/png",
      "no content type        | /page?type=",
      "a small body           | /page?size=100",
      "a 204                  | /page?status=204",
      "a 304                  | /page?status=304"})
  void leavesAloneWhatMustNotBeCompressed(String what, String path) throws Exception {
    HttpResponse<byte[]> r = get(path, "Accept-Encoding", "gzip, br, zstd");
    assertThat(r.headers().firstValue("content-encoding").orElse("")).isNotIn("gzip", "zstd")
        .isEqualTo(path.contains("Content-Encoding:br") ? "br" : "");
    if (r.statusCode() != 204 && r.statusCode() != 304) {
      assertThat(r.body()).isEqualTo(Text.bytes(path.contains("size=100") ? 100 : 102400, 1));
    }
  }

  @Test
  void headRequestsAreNotCompressed() throws Exception {
    HttpResponse<byte[]> r = send("HEAD", "/page", "Accept-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-encoding")).isEmpty();
    assertThat(r.body()).isEmpty();
  }

  @Test
  void aSmallBodyOfUnknownLengthIsCompressedOnTheFly() throws Exception {
    HttpResponse<byte[]> r = get("/page?size=100&chunked", "Accept-Encoding", "gzip");
    assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(CodecRoundTripTest.decode(Coding.GZIP, r.body())).isEqualTo(Text.bytes(100, 1));
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void serverSentEventsStayIncremental(Coding coding) throws Exception {
    backend.sseRelease = new CompletableFuture<>();
    HttpRequest req = HttpRequest.newBuilder(URI.create(fd.proxyUrl() + "/sse"))
        .header("Accept-Encoding", coding.token).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("content-encoding")).hasValue(coding.token);
    try (InputStream events = CodecRoundTripTest.incrementalDecoder(coding, r.body())) {
      // The backend holds the second event back until the first has reached the client.
      assertThat(nextEvent(events)).isEqualTo("data: one");
      assertThat(backend.sseRelease).isNotDone();
      backend.sseRelease.complete(null);
      assertThat(nextEvent(events)).isEqualTo("data: two");
      assertThat(events.read()).isEqualTo(-1);
    }
  }

  /** Reads one event byte by byte (readers that fill a buffer would wait for more). */
  private static String nextEvent(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      sb.append((char) b);
      if (sb.toString().endsWith("\n\n")) {
        return sb.substring(0, sb.length() - 2);
      }
    }
    return sb.toString();
  }

  @Test
  void a100MiBBodyStreamsThroughWithBackPressureInsteadOfPilingUp() throws Exception {
    long total = 100L * 1024 * 1024;
    HttpRequest req = HttpRequest.newBuilder(URI.create(fd.proxyUrl() + "/big?bytes=" + total))
        .header("Accept-Encoding", "gzip").timeout(Duration.ofMinutes(3)).build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
    try (InputStream body = CodecRoundTripTest.decoder(Coding.GZIP, r.body())) {
      CRC32 got = new CRC32();
      byte[] buf = new byte[64 * 1024];
      long read = readInto(body, buf, got, 1024 * 1024);
      // The client stops reading. A proxy that buffered the body (or compressed it without
      // back-pressure) would now take all of it from the backend; a streaming one takes no more
      // than what socket buffers and one chunk in flight hold.
      long stalled = awaitStable(backend.bigWritten);
      assertThat(stalled).as("bytes the backend could write while the client did not read").isLessThan(total / 2);
      read += readInto(body, buf, got, Long.MAX_VALUE);
      assertThat(read).isEqualTo(total);
      CRC32 expected = new CRC32();
      for (long n = 0, left = total; left > 0; n++, left -= Backend.BIG_CHUNK) {
        expected.update(Backend.bigChunk(n, (int) Math.min(Backend.BIG_CHUNK, left)));
      }
      assertThat(got.getValue()).isEqualTo(expected.getValue());
    }
  }

  /** Waits until the counter stops moving for a second, up to 15 s; returns its value. */
  private static long awaitStable(java.util.concurrent.atomic.AtomicLong counter) throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 15; i++) {
      Thread.sleep(1000);
      long now = counter.get();
      if (now == last) {
        return now;
      }
      last = now;
    }
    return last;
  }

  private static long readInto(InputStream in, byte[] buf, CRC32 crc, long max) throws IOException {
    long n = 0;
    int k;
    while (n < max && (k = in.read(buf, 0, (int) Math.min(buf.length, max - n))) > 0) {
      crc.update(buf, 0, k);
      n += k;
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void compressedRequestBodiesReachTheBackendDecompressed(Coding coding) throws Exception {
    byte[] original = Text.bytes(200_000, 3);
    HttpResponse<String> r = post("/upload", CodecRoundTripTest.encode(coding, original), coding.token);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(r.body());
    assertThat(seen.getString("body")).isEqualTo(new String(original, StandardCharsets.UTF_8));
    assertThat(seen.getJsonObject("headers").containsKey("content-encoding")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Coding.class)
  void aZipBombRequestIsRefusedWith413(Coding coding) throws Exception {
    byte[] bomb = CodecRoundTripTest.encode(coding, new byte[50 * 1024 * 1024]);
    assertThat(post("/upload", bomb, coding.token).statusCode()).isEqualTo(413);
    assertThat(post("/upload", "not compressed at all".getBytes(), coding.token).statusCode()).isEqualTo(400);
  }

  @Test
  void requestBodiesPassUntouchedWhereDecompressionIsOff() throws Exception {
    byte[] gz = CodecRoundTripTest.encode(Coding.GZIP, "hello".getBytes());
    HttpResponse<String> r = post("/page", gz, "gzip");
    assertThat(r.statusCode()).isEqualTo(200); // the page backend ignores bodies; nothing refused it
  }

  private static HttpResponse<String> post(String path, byte[] body, String encoding) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(fd.proxyUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Encoding", encoding).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"levels\": {\"gzip\": 10}}",
      "{\"algorithms\": [\"deflate\"]}",
      "{\"algorithms\": []}",
      "{\"minLength\": -1}",
      "{\"contentTypes\": [\"not a type\"]}",
      "{\"colour\": \"red\"}"})
  void refusesInvalidConfiguration(String config) {
    FrontdeskTestKit.Response r = fd.admin("POST", "/plugins/compression/bindings", new JsonObject()
        .put("scope", "route").put("target", "app").put("config", new JsonObject(config)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("config.");
  }

  @Test
  void theChosenCodingIsInTheAccessLogAttributes() throws Exception {
    String id = get("/page?marker=attr", "Accept-Encoding", "zstd").headers().firstValue("x-request-id").orElseThrow();
    JsonArray items = new JsonArray();
    for (int i = 0; i < 100 && items.isEmpty(); i++) {
      Thread.sleep(100);
      items = fd.admin("GET", "/logs?requestId=" + URLEncoder.encode(id, StandardCharsets.UTF_8), null).json()
          .getJsonArray("items");
    }
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getJsonObject("attributes").getString("compression.response")).isEqualTo("zstd");
  }
}
