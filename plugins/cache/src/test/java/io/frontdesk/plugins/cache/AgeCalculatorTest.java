package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgeCalculatorTest {

  @Test
  void readsTheAgeFieldAndIgnoresWhatIsNoDeltaSeconds() {
    assertThat(AgeCalculator.ageValue(List.of("30"))).isEqualTo(30);
    assertThat(AgeCalculator.ageValue(List.of(" 30 "))).isEqualTo(30);
    assertThat(AgeCalculator.ageValue(List.of("7200", "0"))).isEqualTo(7200);
    assertThat(AgeCalculator.ageValue(List.of("7200, 7200"))).isEqualTo(7200);
    assertThat(AgeCalculator.ageValue(List.of("0,7200"))).isZero();
    assertThat(AgeCalculator.ageValue(List.of("abc"))).isZero();
    assertThat(AgeCalculator.ageValue(List.of("-7200"))).isZero();
    assertThat(AgeCalculator.ageValue(List.of("7200.0"))).isZero();
    assertThat(AgeCalculator.ageValue(List.of())).isZero();
    assertThat(AgeCalculator.ageValue(List.of("99999999999999"))).isEqualTo(2147483648L);
  }

  @Test
  void theInitialAgeIsTheLargerOfTheApparentAgeAndAgePlusTransit() {
    // Date 10 s before arrival, no Age: apparent age wins
    assertThat(AgeCalculator.correctedInitialAge(0, 90_000, 99_000, 100_000)).isEqualTo(10_000);
    // Age 25 plus 1 s in transit beats a Date 10 s old
    assertThat(AgeCalculator.correctedInitialAge(25, 90_000, 99_000, 100_000)).isEqualTo(26_000);
    // a Date ahead of the clock gives no negative age
    assertThat(AgeCalculator.correctedInitialAge(0, 200_000, 100_000, 100_000)).isZero();
  }

  @Test
  void theCurrentAgeAddsTheTimeSinceArrival() {
    assertThat(AgeCalculator.currentAge(26_000, 100_000, 104_500)).isEqualTo(30_500);
    assertThat(AgeCalculator.currentAge(26_000, 100_000, 90_000)).isEqualTo(26_000);
  }

  @Test
  void theAgeFieldSaysWholeSecondsAndNeverMoreThanTwoToTheThirtyFirst() {
    assertThat(AgeCalculator.header(30_999)).isEqualTo("30");
    assertThat(AgeCalculator.header(Long.MAX_VALUE)).isEqualTo("2147483648");
  }
}
