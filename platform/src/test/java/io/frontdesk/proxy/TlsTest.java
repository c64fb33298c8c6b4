package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestCertificates;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real TLS on the HTTPS port: HTTP/2 by ALPN, HTTP/1.1 otherwise, and the scheme passed on. */
class TlsTest {

  static TestCertificates certs;
  static TestNode node;
  static TestBackend backend;

  @BeforeAll
  static void start() {
    certs = TestCertificates.selfSigned("localhost");
    node = TestNode.start("--https-port", "0", "--tls-cert", certs.cert().toString(), "--tls-key",
        certs.key().toString());
    backend = TestBackend.start("tls-be");
    node.admin().simpleRoute("tls", "*", backend.port());
  }

  @AfterAll
  static void stop() {
    node.close();
    backend.close();
  }

  String https() {
    return "https://localhost:" + node.node().httpsPort();
  }

  @Test
  void negotiatesHttp2AndForwardsTheScheme() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https() + "/secure")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    JsonObject headers = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(headers.getString("x-forwarded-proto")).isEqualTo("https");
    assertThat(headers.getString("x-forwarded-host")).isEqualTo("localhost:" + node.node().httpsPort());
  }

  @Test
  void servesHttp11ClientsOverTls() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1)
        .build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(https() + "/bytes/100000")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(r.body()).hasSize(100000);
  }
}
