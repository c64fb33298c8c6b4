package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheControlTest {

  @Test
  void readsDirectivesWithoutRegardToCase() {
    CacheControl cc = CacheControl.parse("MaX-AgE=3600, No-StOrE, public");
    assertThat(cc.seconds("max-age")).isEqualTo(3600);
    assertThat(cc.has("no-store")).isTrue();
    assertThat(cc.has("public")).isTrue();
    assertThat(cc.has("private")).isFalse();
    assertThat(cc.seconds("s-maxage")).isEqualTo(CacheControl.ABSENT);
  }

  @Test
  void acceptsAQuotedArgumentAndNeverSeesADirectiveInsideAQuotedString() {
    assertThat(CacheControl.parse("max-age=\"3600\"").seconds("max-age")).isEqualTo(3600);
    CacheControl cc = CacheControl.parse("extension=\"max-age=100, no-store\", max-age=1");
    assertThat(cc.seconds("max-age")).isEqualTo(1);
    assertThat(cc.has("no-store")).isFalse();
    assertThat(CacheControl.parse("max-age=1, ext=\"a\\\"b, max-age=100\"").seconds("max-age")).isEqualTo(1);
  }

  @Test
  void theFirstOccurrenceCountsOnOneLineAndAcrossLines() {
    assertThat(CacheControl.parse("max-age=1800, max-age=1").seconds("max-age")).isEqualTo(1800);
    assertThat(CacheControl.parse(List.of("max-age=1", "max-age=1800")).seconds("max-age")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"max-age =100", "max-age= 100", "max-age=a100", "max-age=100a", "max-age=3600.0",
      "max-age=-100", "max-age='3600'", "max-age=", "max-age=\"12", "max-age=1 2"})
  void aBrokenArgumentIsPresentButInvalid(String value) {
    CacheControl cc = CacheControl.parse(value);
    assertThat(cc.has("max-age")).isTrue();
    assertThat(cc.seconds("max-age")).isEqualTo(CacheControl.INVALID);
  }

  @Test
  void aDirectiveWithoutArgumentHasNoSeconds() {
    assertThat(CacheControl.parse("max-age").seconds("max-age")).isEqualTo(CacheControl.INVALID);
    assertThat(CacheControl.parse("max-stale").has("max-stale")).isTrue();
  }

  @Test
  void hugeValuesAreCappedAtTwoToTheThirtyFirst() {
    assertThat(CacheControl.parse("max-age=2147483648").seconds("max-age")).isEqualTo(2147483648L);
    assertThat(CacheControl.parse("max-age=99999999999999999999").seconds("max-age")).isEqualTo(2147483648L);
    assertThat(CacheControl.parse("max-age=003600").seconds("max-age")).isEqualTo(3600);
  }

  @Test
  void listsTheFieldNamesOfQualifiedNoCacheAndPrivate() {
    CacheControl cc = CacheControl.parse("no-cache=\"Set-Cookie, X-A\", private=x-b, max-age=5");
    assertThat(cc.fieldNames("no-cache")).containsExactly("set-cookie", "x-a");
    assertThat(cc.fieldNames("private")).containsExactly("x-b");
    assertThat(cc.hasArgument("no-cache")).isTrue();
    assertThat(CacheControl.parse("no-cache").hasArgument("no-cache")).isFalse();
    assertThat(CacheControl.parse("no-cache").fieldNames("no-cache")).isEmpty();
  }

  @Test
  void skipsGarbageAndKeepsTheRest() {
    CacheControl cc = CacheControl.parse(",, ;;; , foobar, max-age=3600 ,,public");
    assertThat(cc.seconds("max-age")).isEqualTo(3600);
    assertThat(cc.has("public")).isTrue();
    assertThat(CacheControl.parse("").isEmpty()).isTrue();
    assertThat(CacheControl.parse((String) null).isEmpty()).isTrue();
  }
}
