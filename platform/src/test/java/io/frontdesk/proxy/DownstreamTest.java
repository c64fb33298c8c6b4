package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client's side of an exchange: the body's limit, held chunks and the reading they stop. */
class DownstreamTest {

  final EmbeddedClient client = new EmbeddedClient();

  static HttpContent chunk(String s) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
  }

  @Test
  void aBodyPastItsLimitIsRefusedWith413() {
    Downstream d = client.downstream;
    d.requestStarted(true, false);
    d.limitBody(4);
    HttpContent small = chunk("abc");
    d.onRequestContent(small);
    HttpContent over = chunk("de");
    d.onRequestContent(over);
    assertThat(client.body).containsExactly(small);
    assertThat(over.refCnt()).isZero();
    assertThat(client.refusals).containsExactly("413 request body over the limit of 4 bytes");
    small.release();
  }

  @Test
  void aChunkTheDecoderCouldNotReadIsRefused() {
    Downstream d = client.downstream;
    d.requestStarted(true, false);
    HttpContent broken = chunk("x");
    broken.setDecoderResult(DecoderResult.failure(new TooLongFrameException("too long")));
    d.onRequestContent(broken);
    assertThat(broken.refCnt()).isZero();
    assertThat(client.refusals).singleElement().asString().startsWith("413 malformed request body");
  }

  @Test
  void theEndOfARequestWithoutBodyIsDropped() {
    Downstream d = client.downstream;
    d.requestStarted(false, false);
    assertThat(d.requestComplete()).isTrue();
    DefaultLastHttpContent end = new DefaultLastHttpContent();
    d.onRequestContent(end);
    assertThat(client.body).isEmpty();
    assertThat(end.refCnt()).isZero();
  }

  @Test
  void chunksWaitWhileNoUpstreamTakesThemAndReadingStopsUntilTheBodyIsWhole() {
    EmbeddedClient waiting = new EmbeddedClient();
    waiting.upstreamReady = false;
    Downstream d = waiting.downstream;
    d.requestStarted(true, false);
    HttpContent first = chunk("a");
    d.onRequestContent(first);
    assertThat(waiting.channel.config().isAutoRead()).isFalse();
    d.releaseBody();
    assertThat(waiting.channel.config().isAutoRead()).isTrue();
    DefaultLastHttpContent end = new DefaultLastHttpContent();
    d.onRequestContent(end);
    assertThat(d.requestComplete()).isTrue();
    assertThat(waiting.channel.config().isAutoRead()).isTrue(); // a whole body holds no reading
    assertThat(d.nextHeld()).isSameAs(first);
    assertThat(d.nextHeld()).isSameAs(end);
    assertThat(d.nextHeld()).isNull();
    first.release();
    assertThat(d.requestBytes()).isEqualTo(1);
  }

  @Test
  void upstreamBackPressureAndWaitingAreSeparateReasons() {
    Downstream d = client.downstream;
    d.holdBody();
    d.upstreamFull();
    d.releaseBody();
    assertThat(client.channel.config().isAutoRead()).isFalse();
    d.upstreamDrained();
    assertThat(client.channel.config().isAutoRead()).isTrue();
  }

  @Test
  void nothingIsReadForAnEndedExchange() {
    Downstream d = client.downstream;
    d.requestStarted(true, false);
    d.end(true);
    HttpContent late = chunk("late");
    d.onRequestContent(late);
    d.onBrokenChunkLine();
    assertThat(late.refCnt()).isZero();
    assertThat(client.body).isEmpty();
    assertThat(client.refusals).isEmpty();
  }
}
