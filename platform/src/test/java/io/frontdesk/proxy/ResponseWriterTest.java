package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.filter.LocalResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a response is framed toward the client (HTTP/1.0 and 1.1, keep-alive or close, length or
 * chunks, HEAD, local answers), read back as the bytes the client gets.
 */
class ResponseWriterTest {

  final EmbeddedClient client = new EmbeddedClient();
  final List<String> events = new ArrayList<>();

  ResponseWriter writer(HttpRequest request) {
    return new ResponseWriter(client.downstream, EmbeddedClient.intake(request), client.channel.eventLoop(),
        new ResponseWriter.Events() {
          @Override
          public void upstreamBodyEnded() {
            events.add("upstream ended");
          }

          @Override
          public void clientFull() {
            events.add("client full");
          }

          @Override
          public void responseWritten() {
            events.add("written");
          }

          @Override
          public void bodyBroken(String why) {
            events.add("broken: " + why);
          }
        });
  }

  static HttpResponse upstream(int status, String... headers) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  static DefaultLastHttpContent last(String s) {
    return new DefaultLastHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
  }

  @Test
  void aKeepAliveHttp11ResponseWithALengthKeepsItAndTheConnection() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(200, "content-length", "5"));
    w.sendHead(200, true, false);
    w.upstreamContent(last("hello"));

    String out = client.written();
    assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 5\r\n").endsWith("\r\n\r\nhello")
        .doesNotContain("connection:").doesNotContain("transfer-encoding").containsPattern("x-request-id: \\S+");
    assertThat(events).containsExactly("upstream ended", "written");
    assertThat(w.complete()).isTrue();
    assertThat(w.bytes()).isEqualTo(5);
    assertThat(client.channel.isOpen()).isTrue();
  }

  @Test
  void anHttp11BodyOfUnknownLengthGoesInChunks() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(200, "transfer-encoding", "chunked"));
    w.sendHead(200, true, false);
    w.upstreamContent(new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
    w.upstreamContent(last(""));

    assertThat(client.written()).contains("transfer-encoding: chunked\r\n").doesNotContain("content-length")
        .endsWith("\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assertThat(client.channel.isOpen()).isTrue();
  }

  @Test
  void anHttp10BodyOfUnknownLengthEndsWithTheConnection() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_0, "/", "connection",
        "keep-alive"));
    w.upstreamHead(upstream(200));
    w.sendHead(200, true, false);
    w.upstreamContent(last("abc"));

    assertThat(client.written()).startsWith("HTTP/1.1 200 OK\r\n").contains("connection: close\r\n")
        .doesNotContain("transfer-encoding").endsWith("\r\n\r\nabc");
    assertThat(client.downstream.closingAfter()).isTrue();
    client.channel.runPendingTasks();
    assertThat(client.channel.isOpen()).isFalse();
  }

  @Test
  void anHttp10KeepAliveClientIsToldTheConnectionStays() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_0, "/", "connection",
        "keep-alive"));
    w.upstreamHead(upstream(200, "content-length", "2"));
    w.sendHead(200, true, false);
    w.upstreamContent(last("ok"));

    assertThat(client.written()).contains("connection: keep-alive\r\n").contains("content-length: 2\r\n");
    assertThat(client.channel.isOpen()).isTrue();
  }

  @Test
  void aConnectionMarkedToCloseClosesAfterTheResponseWhateverTheClientWants() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.POST, HttpVersion.HTTP_1_1, "/"));
    client.downstream.closeAfter();
    w.upstreamHead(upstream(200, "content-length", "2"));
    w.sendHead(200, true, false);
    w.upstreamContent(last("ok"));

    assertThat(client.written()).contains("connection: close\r\n");
    client.channel.runPendingTasks();
    assertThat(client.channel.isOpen()).isFalse();
  }

  @Test
  void aDrainingNodeClosesTheConnectionAfterTheResponse() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(200, "content-length", "0"));
    w.sendHead(200, false, false);

    assertThat(client.written()).contains("connection: close\r\n");
    assertThat(client.downstream.closingAfter()).isTrue();
  }

  @Test
  void aHeadResponseKeepsItsLengthAndSendsNoBody() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.HEAD, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(200, "content-length", "100"));
    w.sendHead(200, true, false);
    w.upstreamContent(last(""));

    assertThat(client.written()).contains("content-length: 100\r\n").doesNotContain("transfer-encoding")
        .endsWith("\r\n\r\n");
    assertThat(client.channel.isOpen()).isTrue();
  }

  @Test
  void aNoContentResponseWithoutLengthIsNotChunked() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(204));
    w.sendHead(204, true, false);
    w.upstreamContent(last(""));

    assertThat(client.written()).startsWith("HTTP/1.1 204 No Content\r\n").doesNotContain("transfer-encoding")
        .doesNotContain("connection: close");
  }

  @Test
  void aLocalErrorGetsAnErrorPageWhoseLengthIsItsBody() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/", "accept",
        "text/plain"));
    w.replace(LocalResponse.of(404, "no route"));
    w.sendHead(404, true, false);

    String out = client.written();
    String length = out.replaceAll("(?s).*content-length: (\\d+)\r\n.*", "$1");
    String body = out.substring(out.indexOf("\r\n\r\n") + 4);
    assertThat(out).startsWith("HTTP/1.1 404 Not Found\r\n");
    assertThat(body).isNotEmpty().hasSize(Integer.parseInt(length));
    assertThat(events).containsExactly("written");
  }

  @Test
  void aLocalBodyIsSentWithItsLengthAndHeaders() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.replace(LocalResponse.of(200, "cached").header("x-local", "yes").body(Buffer.buffer("local!")));
    w.sendHead(200, true, false);

    assertThat(client.written()).contains("content-length: 6\r\n").contains("x-local: yes\r\n")
        .endsWith("\r\n\r\nlocal!");
    assertThat(w.bytes()).isEqualTo(6);
  }

  @Test
  void aLocalAnswerDropsTheTargetsHeldBodyAndTellsItsConnectionToGo() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.upstreamHead(upstream(200, "content-length", "3"));
    DefaultLastHttpContent held = last("abc");
    w.upstreamContent(held); // the head is not out yet: held
    assertThat(w.replace(LocalResponse.of(503, "replaced"))).isTrue();
    assertThat(held.refCnt()).isZero();

    DefaultLastHttpContent late = last("");
    w.upstreamContent(late); // the target's end, after the replacement: dropped
    assertThat(late.refCnt()).isZero();
    assertThat(events).containsExactly("upstream ended");
  }

  @Test
  void aLocalNotModifiedKeepsTheFullResponsesLengthAndSendsNoBody() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.replace(LocalResponse.of(304, "cached").header("etag", "\"v1\"").header("content-length", "1234"));
    w.sendHead(304, true, false);

    String out = client.written();
    assertThat(out).startsWith("HTTP/1.1 304 Not Modified\r\n").contains("content-length: 1234\r\n")
        .doesNotContain("transfer-encoding").endsWith("\r\n\r\n");
    assertThat(out.split("content-length", -1)).hasSize(2);
    assertThat(events).containsExactly("written");
  }

  @Test
  void aLocalNotModifiedWithoutALengthHeaderGetsNone() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.replace(LocalResponse.of(304, "cached"));
    w.sendHead(304, true, false);

    assertThat(client.written()).doesNotContain("content-length").doesNotContain("transfer-encoding");
  }

  @Test
  void aLocalAnswerToHeadKeepsTheLengthTheFilterGives() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.HEAD, HttpVersion.HTTP_1_1, "/"));
    w.replace(LocalResponse.of(200, "cached").header("content-length", "99"));
    w.sendHead(200, true, false);

    assertThat(client.written()).contains("content-length: 99\r\n").doesNotContain("transfer-encoding")
        .endsWith("\r\n\r\n");
  }

  @Test
  void aFiltersLengthHeaderNeverDoublesTheBodysOwn() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    w.replace(LocalResponse.of(200, "cached").header("Content-Length", "99").body(Buffer.buffer("abc")));
    w.sendHead(200, true, false);

    String out = client.written();
    assertThat(out).contains("content-length: 3\r\n").endsWith("\r\n\r\nabc");
    assertThat(out.toLowerCase().split("content-length", -1)).hasSize(2);
  }

  @Test
  void aLengthPreservingTransformerKeepsTheTargetsLength() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    BodyPipeline p = new BodyPipeline();
    StringBuilder seen = new StringBuilder();
    p.addResponse(new io.frontdesk.api.filter.BodyTransformer() {
      @Override
      public Buffer transform(Buffer chunk) {
        seen.append(chunk.toString());
        return chunk.copy();
      }

      @Override
      public Buffer finish() {
        return Buffer.buffer();
      }

      @Override
      public boolean preservesLength() {
        return true;
      }
    });
    w.transformWith(p);
    w.upstreamHead(upstream(200, "content-length", "5"));
    w.sendHead(200, true, false);
    w.upstreamContent(last("hello"));

    assertThat(client.written()).contains("content-length: 5\r\n").doesNotContain("transfer-encoding")
        .endsWith("\r\n\r\nhello");
    assertThat(seen).hasToString("hello");
  }

  @Test
  void aLocalStreamIsSentWithItsLengthAndReleasedWhenTheExchangeEnds() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    TestStream s = new TestStream();
    w.replace(LocalResponse.of(200, "cached").body(s, 6));
    w.sendHead(200, true, false);
    s.emit("abc");
    s.emit("def");
    s.end();

    assertThat(client.written()).contains("content-length: 6\r\n").endsWith("\r\n\r\nabcdef");
    assertThat(events).containsExactly("written");
  }

  @Test
  void aLocalStreamCutShortByTheExchangesEndLosesItsHandler() {
    ResponseWriter w = writer(EmbeddedClient.request(HttpMethod.GET, HttpVersion.HTTP_1_1, "/"));
    TestStream s = new TestStream();
    w.replace(LocalResponse.of(200, "cached").body(s, 6));
    w.sendHead(200, true, false);
    s.emit("abc");
    w.release(); // the client went away

    assertThat(s.handler).isNull();
    assertThat(events).isEmpty();
  }

  /** A hand-driven stream. */
  static final class TestStream implements io.vertx.core.streams.ReadStream<Buffer> {
    io.vertx.core.Handler<Buffer> handler;
    io.vertx.core.Handler<Void> end;

    void emit(String s) {
      handler.handle(Buffer.buffer(s));
    }

    void end() {
      end.handle(null);
    }

    @Override
    public TestStream exceptionHandler(io.vertx.core.Handler<Throwable> h) {
      return this;
    }

    @Override
    public TestStream handler(io.vertx.core.Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public TestStream pause() {
      return this;
    }

    @Override
    public TestStream resume() {
      return this;
    }

    @Override
    public TestStream fetch(long amount) {
      return this;
    }

    @Override
    public TestStream endHandler(io.vertx.core.Handler<Void> h) {
      end = h;
      return this;
    }
  }
}
