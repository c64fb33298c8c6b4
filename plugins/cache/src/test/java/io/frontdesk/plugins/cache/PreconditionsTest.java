package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.plugins.cache.Preconditions.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreconditionsTest {

  static final long T = 1_800_000_000L;
  static final String LM = HttpDate.format(T - 3000);

  static StoredHead stored(int status, String... fields) {
    TestHeaders f = TestHeaders.of(fields);
    f.add("Date", HttpDate.format(T));
    return StoredHead.capture(status, f, T * 1000, T * 1000, VaryKey.NONE, null);
  }

  static Outcome eval(StoredHead h, String... request) {
    return Preconditions.evaluate(h, TestHeaders.of(request), true, T);
  }

  @Test
  void ifNoneMatchComparesWeaklyAndAnswers304() {
    StoredHead h = stored(200, "ETag", "\"abcdef\"");
    assertThat(eval(h, "If-None-Match", "\"abcdef\"")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "W/\"abcdef\"")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "\"1234\", \"abcdef\", \"5678\"")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "abcdef")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "*")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "\"other\"")).isEqualTo(Outcome.PROCEED);
    assertThat(eval(stored(200, "ETag", "W/\"abcdef\""), "If-None-Match", "W/\"abcdef\"")).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(stored(200, "ETag", "abcdef"), "If-None-Match", "\"abcdef\"")).isEqualTo(Outcome.NOT_MODIFIED);
  }

  @Test
  void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
    StoredHead h = stored(200, "ETag", "\"abcdef\"", "Last-Modified", LM);
    assertThat(eval(h, "If-None-Match", "\"abcdef\"", "If-Modified-Since", HttpDate.format(T - 5000)))
        .isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-None-Match", "\"x\"", "If-Modified-Since", HttpDate.format(T)))
        .isEqualTo(Outcome.PROCEED);
  }

  @Test
  void ifModifiedSinceUsesLastModifiedElseTheDate() {
    StoredHead h = stored(200, "Last-Modified", LM);
    assertThat(eval(h, "If-Modified-Since", LM)).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-Modified-Since", HttpDate.format(T - 2000))).isEqualTo(Outcome.NOT_MODIFIED);
    assertThat(eval(h, "If-Modified-Since", HttpDate.format(T - 4000))).isEqualTo(Outcome.PROCEED);
    assertThat(eval(h, "If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(Outcome.PROCEED);
    assertThat(eval(h, "If-Modified-Since", "garbage")).isEqualTo(Outcome.PROCEED);
    StoredHead noLm = stored(200);
    assertThat(eval(noLm, "If-Modified-Since", HttpDate.format(T - 3000))).isEqualTo(Outcome.PROCEED);
    assertThat(eval(noLm, "If-Modified-Since", HttpDate.format(T))).isEqualTo(Outcome.NOT_MODIFIED);
  }

  @Test
  void ifMatchAndIfUnmodifiedSinceFailWith412() {
    StoredHead h = stored(200, "ETag", "\"a\"", "Last-Modified", LM);
    assertThat(eval(h, "If-Match", "\"a\"")).isEqualTo(Outcome.PROCEED);
    assertThat(eval(h, "If-Match", "*")).isEqualTo(Outcome.PROCEED);
    assertThat(eval(h, "If-Match", "\"b\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
    assertThat(eval(h, "If-Match", "W/\"a\"")).isEqualTo(Outcome.PRECONDITION_FAILED); // strong comparison
    assertThat(eval(h, "If-Unmodified-Since", HttpDate.format(T - 4000))).isEqualTo(Outcome.PRECONDITION_FAILED);
    assertThat(eval(h, "If-Unmodified-Since", LM)).isEqualTo(Outcome.PROCEED);
    assertThat(eval(h, "If-Match", "\"a\"", "If-Unmodified-Since", HttpDate.format(T - 4000)))
        .isEqualTo(Outcome.PROCEED); // If-Match present: If-Unmodified-Since is not evaluated
  }

  @Test
  void onlyA2xxStoredResponseIsEvaluated() {
    assertThat(eval(stored(404, "ETag", "\"a\""), "If-None-Match", "\"a\"")).isEqualTo(Outcome.PROCEED);
    assertThat(eval(stored(301, "ETag", "\"a\""), "If-Match", "\"b\"")).isEqualTo(Outcome.PROCEED);
  }

  @Test
  void entityTagListsKeepQuotedCommasAndSpotTheStar() {
    assertThat(EntityTags.list(List.of("\"a,b\", W/\"c\""))).containsExactly(new EntityTags.Tag(false, "a,b"),
        new EntityTags.Tag(true, "c"));
    assertThat(EntityTags.list(List.of("\"a\"", "*"))).isNull();
  }
}
