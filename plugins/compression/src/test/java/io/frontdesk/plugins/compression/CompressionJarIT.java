package io.frontdesk.plugins.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads as a PF4J plugin, and its native codecs load inside the plugin's class loader. */
class CompressionJarIT {

  @Test
  void theJarLoadsAndEveryCodingWorksThroughIt() throws Exception {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (Backend backend = new Backend();
        FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/compression", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getInteger("defaultPriority")).isEqualTo(900);
      fd.routeTo("app", "/", backend.port());
      fd.bind("compression", "global", null, new JsonObject());
      HttpClient http = HttpClient.newHttpClient();
      for (Coding coding : Coding.values()) {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(fd.proxyUrl() + "/page"))
            .header("Accept-Encoding", coding.token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("content-encoding")).as(coding.token).hasValue(coding.token);
        assertThat(CodecRoundTripTest.decode(coding, r.body())).isEqualTo(Text.bytes(102400, 1));
      }
    }
  }
}
