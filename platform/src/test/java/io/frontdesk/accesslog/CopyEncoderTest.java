package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.log.FilterTiming;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyEncoderTest {

  @Test
  void filterTimingsAreValidJsonWhateverThePluginNamesHoldInThemAndContinueIsLeftOut() {
    List<FilterTiming> timings = List.of(new FilterTiming("waf", 12, 3, "continue"),
        new FilterTiming("we\"ird\\na\u0001me\ttab", 0, 40, "r\u00e9ponse \ud83d\ude00"),
        new FilterTiming("x", Long.MAX_VALUE, 0, null));
    JsonArray parsed = new JsonArray(CopyEncoder.filtersJson(timings));
    assertThat(parsed).isEqualTo(new JsonArray()
        .add(new JsonArray().add("waf").add(12).add(3))
        .add(new JsonArray().add("we\"ird\\na\u0001me\ttab").add(0).add(40).add("r\u00e9ponse \ud83d\ude00"))
        .add(new JsonArray().add("x").add(Long.MAX_VALUE).add(0).addNull()));
    assertThat(CopyEncoder.filtersJson(List.of())).isEqualTo("[]");
  }

  @Test
  void timestampsAreMicrosecondsSincePostgresEpochTruncated() {
    assertThat(CopyEncoder.pgMicros(Instant.parse("2000-01-01T00:00:00Z"))).isZero();
    assertThat(CopyEncoder.pgMicros(Instant.parse("2000-01-01T00:00:01.000001999Z"))).isEqualTo(1_000_001);
    assertThat(CopyEncoder.pgMicros(Instant.parse("1999-12-31T23:59:59Z"))).isEqualTo(-1_000_000);
  }
}
