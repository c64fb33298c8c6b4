package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void anIdIs32HexDigitsThatBeginWithTheMillisecondItWasMade() {
    long t = Instant.parse("2026-12-02T08:00:00.123Z").toEpochMilli();
    String id = RequestIds.make(t, new SplittableRandom(1));
    assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(id).startsWith(String.format("%012x", t));
    assertThat(RequestIds.madeAt(id)).isEqualTo(Instant.ofEpochMilli(t));
  }

  @Test
  void idsMadeInTheSameMillisecondDifferInTheirRandomBits() {
    SplittableRandom random = new SplittableRandom(2);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIds.make(1_000L, random));
    }
    assertThat(ids).hasSize(10_000);
    // Every random digit varies (none is stuck at a constant).
    for (int pos = 12; pos < 32; pos++) {
      int p = pos;
      assertThat(ids.stream().map(s -> s.charAt(p)).distinct().count()).as("digit " + pos).isEqualTo(16);
    }
  }

  @Test
  void otherIdsCarryNoTime() {
    assertThat(RequestIds.madeAt(null)).isNull();
    assertThat(RequestIds.madeAt("edge-7f3a")).isNull();
    assertThat(RequestIds.madeAt("0123456789ABCDEF0123456789abcdef")).isNull();
    assertThat(RequestIds.madeAt("0123456789abcdef0123456789abcdeg")).isNull();
    assertThat(RequestIds.madeAt("0123456789abcdef0123456789abcdef0")).isNull();
  }

  @Test
  void anIncomingIdIsKeptOnlyWhenShortAndVisibleAscii() {
    assertThat(RequestIds.acceptable("abc-123")).isTrue();
    assertThat(RequestIds.acceptable("")).isFalse();
    assertThat(RequestIds.acceptable("a b")).isFalse();
    assertThat(RequestIds.acceptable("x".repeat(129))).isFalse();
  }
}
