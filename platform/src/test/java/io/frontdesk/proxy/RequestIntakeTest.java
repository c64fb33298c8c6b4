package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.proxy.RequestIntake.Refusal;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The checks of a request head, over heads decoded from raw bytes by the same decoder the proxy
 * runs (with its header map that remembers a dropped Content-Length): framing refusals, target
 * parsing, Host rules, Expect. Each check answers with a refusal (status, reason, close) or lets the
 * head go on.
 */
class RequestIntakeTest {

  static final ConnectionFacts PLAIN = new ConnectionFacts(false, "http", null, "192.0.2.7", "8080");

  /** Decodes {@code head} (CRLF added) as the proxy's HTTP/1 decoder does. */
  static HttpRequest decode(String head) {
    EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()
        .setMaxInitialLineLength(8192).setHeadersFactory(DecodedRequestHeaders.FACTORY)));
    ch.writeInbound(Unpooled.copiedBuffer(head.replace("\n", "\r\n") + "\r\n", StandardCharsets.ISO_8859_1));
    HttpRequest r = ch.readInbound();
    Object rest;
    while ((rest = ch.readInbound()) != null) {
      ReferenceCountUtil.release(rest);
    }
    ch.finishAndReleaseAll();
    return r;
  }

  static RequestIntake intake(String head) {
    return new RequestIntake(decode(head), false);
  }

  static Refusal check(RequestIntake intake) {
    return intake.check(HopByHop.scan(intake.request().headers(), new HopByHop.Scan()), PLAIN,
        TrustedProxies.none());
  }

  @Test
  void aFinalCodingOtherThanChunkedIsRefusedAndClosed() {
    Refusal r = check(intake("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip\n"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.close()).isTrue();
    assertThat(r.why()).contains("'gzip', not chunked");
  }

  @Test
  void aListOfCodingsIsNotImplemented() {
    Refusal r = check(intake("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n"));
    assertThat(r.status()).isEqualTo(501);
    assertThat(r.close()).isTrue();
  }

  @Test
  void transferEncodingInAnHttp10RequestIsRefused() {
    Refusal r = check(intake("POST / HTTP/1.0\nHost: a\nTransfer-Encoding: chunked\n"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.why()).contains("HTTP/1.0");
  }

  @Test
  void twoHostHeadersAreRefused() {
    Refusal r = check(intake("GET / HTTP/1.1\nHost: a\nHost: b\n"));
    assertThat(r).isEqualTo(new Refusal(400, "more than one Host header", true));
  }

  @Test
  void anInvalidContentLengthIsRefusedWhereverTheHeadCameFrom() {
    assertThat(check(intake("POST / HTTP/1.1\nHost: a\nContent-Length: -5\n")).status()).isEqualTo(400); // decoder
    HttpRequest h2 = EmbeddedClient.request(HttpMethod.POST, HttpVersion.HTTP_1_1, "/", "content-length", "x");
    RequestIntake stream = new RequestIntake(h2, true); // an HTTP/2 stream's head, built by the stream codec
    Refusal r = stream.checkFraming(HopByHop.scan(h2.headers(), new HopByHop.Scan()));
    assertThat(r).isEqualTo(new Refusal(400, "invalid Content-Length", true));
  }

  @Test
  void lengthAndChunkedReadAsChunkedAndTheConnectionClosesAfter() {
    RequestIntake in = intake("POST / HTTP/1.1\nHost: a\nContent-Length: 5\nTransfer-Encoding: chunked\n");
    assertThat(check(in)).isNull();
    assertThat(in.chunked()).isTrue();
    assertThat(in.closeAfter()).isTrue();
    assertThat(in.hasBody()).isTrue();
  }

  @Test
  void aRequestWithoutBodyIsFramedWithoutBodyUpstream() {
    RequestIntake in = intake("GET / HTTP/1.1\nHost: a\n");
    assertThat(check(in)).isNull();
    assertThat(in.hasBody()).isFalse();
    in.request().headers().set("transfer-encoding", "chunked"); // as a filter might
    assertThat(in.frameUpstream(in.request(), false)).isFalse();
    assertThat(in.request().headers().contains("transfer-encoding")).isFalse();
    assertThat(in.request().headers().contains("content-length")).isFalse();
  }

  @Test
  void aTransformedBodyGoesUpstreamChunked() {
    RequestIntake in = intake("POST / HTTP/1.1\nHost: a\nContent-Length: 5\n");
    assertThat(check(in)).isNull();
    assertThat(in.frameUpstream(in.request(), true)).isTrue();
    assertThat(in.request().headers().get("transfer-encoding")).isEqualTo("chunked");
    assertThat(in.request().headers().contains("content-length")).isFalse();
  }

  @Test
  void originFormTargetsSplitIntoPathAndQueryWithoutFragment() {
    RequestIntake in = intake("GET /a/./b/../c?x=1#frag HTTP/1.1\nHost: Example.COM:8080\n");
    assertThat(check(in)).isNull();
    assertThat(in.path()).isEqualTo("/a/c");
    assertThat(in.query()).isEqualTo("x=1#frag");
    assertThat(in.host()).isEqualTo("example.com");
  }

  @Test
  void anAbsoluteFormTargetMustNameTheHostHeadersHost() {
    Refusal r = check(intake("GET http://other.test/x HTTP/1.1\nHost: a.test\n"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.close()).isTrue();
    assertThat(r.why()).contains("differs from the request target's authority 'other.test'");
  }

  @Test
  void anAbsoluteFormTargetGivesHostAndPath() {
    RequestIntake in = intake("GET http://a.test:81?q HTTP/1.1\nHost: a.test:81\n");
    assertThat(check(in)).isNull();
    assertThat(in.host()).isEqualTo("a.test");
    assertThat(in.path()).isEqualTo("/");
    assertThat(in.query()).isEqualTo("q");
  }

  @Test
  void anAsteriskTargetIsUnsupported() {
    RequestIntake in = intake("OPTIONS * HTTP/1.1\nHost: a\n");
    Refusal r = check(in);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.why()).isEqualTo("unsupported request target '*'");
    assertThat(in.originalPath()).isEqualTo("*");
  }

  @Test
  void aPathAboveTheRootIsRefused() {
    Refusal r = check(intake("GET /../etc HTTP/1.1\nHost: a\n"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.why()).startsWith("invalid path");
  }

  @Test
  void onlyHttp10MayLeaveOutHost() {
    RequestIntake old = intake("GET / HTTP/1.0\n");
    assertThat(check(old)).isNull();
    assertThat(old.host()).isEmpty();
    Refusal r = check(intake("GET / HTTP/1.1\n"));
    assertThat(r).isEqualTo(new Refusal(400, "the request has no Host header", false));
  }

  @Test
  void anExpectationOtherThanContinueIs417() {
    Refusal r = check(intake("POST / HTTP/1.1\nHost: a\nContent-Length: 1\nExpect: teapot\n"));
    assertThat(r.status()).isEqualTo(417);
    RequestIntake in = intake("POST / HTTP/1.1\nHost: a\nContent-Length: 1\nExpect: 100-continue\n");
    assertThat(check(in)).isNull();
    assertThat(in.expectContinue()).isTrue();
    assertThat(in.request().headers().contains("expect")).isFalse();
  }

  @Test
  void forwardingHeadersOfAnUntrustedPeerAreReplaced() {
    RequestIntake in = intake("GET / HTTP/1.1\nHost: a.test\nX-Forwarded-For: 6.6.6.6\nX-Request-Id: mine\n");
    assertThat(check(in)).isNull();
    assertThat(in.clientIp()).isEqualTo("192.0.2.7");
    assertThat(in.requestId()).isNotEqualTo("mine");
    assertThat(in.request().headers().get("x-forwarded-for")).isEqualTo("192.0.2.7");
    assertThat(in.request().headers().get("x-forwarded-host")).isEqualTo("a.test");
    assertThat(in.request().headers().get("x-forwarded-port")).isEqualTo("8080");
    assertThat(in.request().headers().get("x-request-id")).isEqualTo(in.requestId());
  }

  @Test
  void aHeadTheDecoderCouldNotReadIsRefusedByWhatWasTooLong() {
    RequestIntake in = intake("GET /" + "a".repeat(9000) + " HTTP/1.1\nHost: a\n");
    Refusal r = check(in);
    assertThat(r.status()).isEqualTo(414);
    assertThat(r.close()).isTrue();
  }
}
