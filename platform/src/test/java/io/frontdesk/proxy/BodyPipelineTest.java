package io.frontdesk.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.api.filter.BodyTransformer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Body transformers over request and response chunks: order, the end, copies, releases, abort. */
class BodyPipelineTest {

  final List<String> calls = new ArrayList<>();

  /** Appends {@code tag} to each chunk; its tail at the end is {@code [tag]}. */
  BodyTransformer tagging(String tag) {
    return new BodyTransformer() {
      @Override
      public Buffer transform(Buffer chunk) {
        calls.add(tag + " transform");
        return chunk.copy().appendString(tag);
      }

      @Override
      public Buffer finish() {
        calls.add(tag + " finish");
        return Buffer.buffer("[" + tag + "]");
      }

      @Override
      public void abort() {
        calls.add(tag + " abort");
      }
    };
  }

  static String text(HttpContent c) {
    return c.content().toString(StandardCharsets.US_ASCII);
  }

  static DefaultHttpContent chunk(String s) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
  }

  @Test
  void transformersRunInTheOrderAddedAndFinishAtTheLastChunk() {
    BodyPipeline p = new BodyPipeline();
    p.addResponse(tagging("a"));
    p.addResponse(tagging("b"));

    HttpContent first = p.response(chunk("x"));
    assertThat(text(first)).isEqualTo("xab");
    assertThat(first).isNotInstanceOf(LastHttpContent.class);
    HttpContent end = p.response(new DefaultLastHttpContent(Unpooled.copiedBuffer("y", StandardCharsets.US_ASCII)));
    assertThat(end).isInstanceOf(LastHttpContent.class);
    assertThat(text(end)).isEqualTo("ya[a]b[b]");
    assertThat(calls).containsExactly("a transform", "b transform", "a transform", "a finish", "b transform",
        "b finish");
  }

  @Test
  void theInputChunkIsReleasedAndTheOutputIsACopy() {
    BodyPipeline p = new BodyPipeline();
    p.addRequest(new BodyTransformer() {
      @Override
      public Buffer transform(Buffer chunk) {
        return chunk; // hands back its input
      }

      @Override
      public Buffer finish() {
        return null;
      }
    });
    DefaultHttpContent in = chunk("same");
    HttpContent out = p.request(in);
    assertThat(in.refCnt()).isZero();
    assertThat(text(out)).isEqualTo("same");
    assertThat(out.refCnt()).isEqualTo(1);
    out.release();
  }

  @Test
  void aThrowingTransformerStillReleasesTheChunk() {
    BodyPipeline p = new BodyPipeline();
    p.addRequest(new BodyTransformer() {
      @Override
      public Buffer transform(Buffer chunk) {
        throw new IllegalStateException("broken");
      }

      @Override
      public Buffer finish() {
        return null;
      }
    });
    DefaultHttpContent in = chunk("x");
    assertThatThrownBy(() -> p.request(in)).hasMessage("broken");
    assertThat(in.refCnt()).isZero();
  }

  @Test
  void withoutTransformersAChunkPassesUntouched() {
    BodyPipeline p = new BodyPipeline();
    p.addRequest(tagging("req"));
    DefaultHttpContent in = chunk("x");
    assertThat(p.transformsResponse()).isFalse();
    assertThat(p.response(in)).isSameAs(in);
    in.release();
  }

  @Test
  void abortReachesEveryTransformerOnBothSidesEvenWhenOneThrows() {
    BodyPipeline p = new BodyPipeline();
    p.addRequest(new BodyTransformer() {
      @Override
      public Buffer transform(Buffer chunk) {
        return chunk;
      }

      @Override
      public Buffer finish() {
        return null;
      }

      @Override
      public void abort() {
        calls.add("thrower abort");
        throw new IllegalStateException("no");
      }
    });
    p.addRequest(tagging("req"));
    p.addResponse(tagging("resp"));
    p.abort();
    assertThat(calls).containsExactly("thrower abort", "req abort", "resp abort");
  }
}
