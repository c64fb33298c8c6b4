package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.ProcessNode;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestPaths;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream with back-pressure: 1 GiB each way through a proxy whose heap and direct memory
 * are capped at 64 MiB, so any buffering of a whole body would crash it.
 */
class StreamingTest {

  static final long GIB = 1L << 30;
  static ProcessNode node;
  static TestBackend backend;

  @BeforeAll
  static void start() {
    backend = TestBackend.start("big");
    node = ProcessNode.start(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m"),
        List.of("--db-url", TestDatabase.newDatabase(), "--data-dir", TestPaths.newDir("stream").toString(),
            "--event-loops", "2"));
    node.admin().simpleRoute("big", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  @Test
  void downloadsOneGibibyteWithBoundedMemory() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/bytes/" + GIB)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    long total = 0;
    byte[] buf = new byte[256 * 1024];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    assertThat(total).isEqualTo(GIB);
    assertThat(node.process().isAlive()).isTrue();
  }

  @Test
  void uploadsOneGibibyteWithBoundedMemory() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(node.proxy() + "/sink"))
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(Zeros::new), GIB))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getLong("bytes")).isEqualTo(GIB);
    assertThat(node.process().isAlive()).isTrue();
    assertThat(Http.get(node.proxy() + "/after").status()).isEqualTo(200);
  }

  /** 1 GiB of zeros, generated as it is read. */
  static final class Zeros extends InputStream {
    private long left = GIB;

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
