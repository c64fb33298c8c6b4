package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {

  static final long NOW = ZonedDateTime.parse("2026-01-15T00:00:00Z").toEpochSecond();
  static final long NOV_6_1994 = ZonedDateTime.parse("1994-11-06T08:49:37Z").toEpochSecond();

  @Test
  void readsTheThreeFormsOfRfc9110() {
    assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(NOV_6_1994);
    assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(NOV_6_1994);
    assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(NOV_6_1994);
  }

  @Test
  void namesMayComeInAnyCase() {
    long t = HttpDate.parse("Thu, 18 Aug 2050 02:01:18 GMT", NOW);
    assertThat(t).isNotEqualTo(HttpDate.INVALID);
    assertThat(HttpDate.parse("THU, 18 AUG 2050 02:01:18 gmt", NOW)).isEqualTo(t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "", "foo", "Thu, 18 Aug 2050 02:01:18 UTC", "Thu, 18 Aug 50 02:01:18 GMT",
      "Thu 18 Aug 2050 02:01:18 GMT", "Thu, 18  Aug  2050 02:01:18 GMT", "Thu, 18-Aug-2050 02:01:18 GMT",
      "Thu, 18 Aug 2050 02.01.18 GMT", "Thu, 18 Aug 2050 2:01:18 GMT", "Thu, 30 Feb 2050 02:01:18 GMT",
      "Thu, 18 Aug 2050 25:01:18 GMT", "Xyz, 18 Aug 2050 02:01:18 GMT", "Thursday, 18 Aug 2050 02:01:18 GMT"})
  void anythingElseIsInvalid(String value) {
    assertThat(HttpDate.parse(value, NOW)).isEqualTo(HttpDate.INVALID);
  }

  @Test
  void aTwoDigitYearMoreThanFiftyYearsAheadIsInThePast() {
    assertThat(HttpDate.parse("Tuesday, 01-Jan-80 00:00:00 GMT", NOW))
        .isEqualTo(ZonedDateTime.parse("1980-01-01T00:00:00Z").toEpochSecond());
    assertThat(HttpDate.parse("Tuesday, 01-Jan-70 00:00:00 GMT", NOW))
        .isEqualTo(ZonedDateTime.parse("2070-01-01T00:00:00Z").toEpochSecond());
    assertThat(HttpDate.parse("Tuesday, 01-Jan-30 00:00:00 GMT", NOW))
        .isEqualTo(ZonedDateTime.parse("2030-01-01T00:00:00Z").toEpochSecond());
  }

  @Test
  void formatsAnImfFixdateThatReadsBack() {
    assertThat(HttpDate.format(NOV_6_1994)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDate.parse(HttpDate.format(NOW), NOW)).isEqualTo(NOW);
  }
}
