package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VaryKeyTest {

  static VaryKey stored(List<String> vary, String... requestHeaders) {
    return VaryKey.fieldsOf(vary).of(TestHeaders.of(requestHeaders));
  }

  @Test
  void matchesTheSameValuesAndNotOthers() {
    VaryKey k = stored(List.of("Foo"), "Foo", "1", "Other", "2");
    assertThat(k.matches(TestHeaders.of("Foo", "1", "Other", "3"))).isTrue();
    assertThat(k.matches(TestHeaders.of("Foo", "2"))).isFalse();
    assertThat(k.matches(TestHeaders.of())).isFalse();
  }

  @Test
  void anAbsentFieldMatchesOnlyAnAbsentOne() {
    VaryKey k = stored(List.of("Foo, Bar, Baz"), "Foo", "1", "Baz", "789");
    assertThat(k.matches(TestHeaders.of("Foo", "1", "Baz", "789"))).isTrue();
    assertThat(k.matches(TestHeaders.of("Foo", "1", "Bar", "", "Baz", "789"))).isFalse();
  }

  @Test
  void listsOfFieldsOverSeveralLinesAreOneList() {
    VaryKey k = stored(List.of("Foo", "Bar"), "Foo", "1", "Bar", "abc");
    assertThat(k.fields()).containsExactly("bar", "foo");
    assertThat(k.matches(TestHeaders.of("Bar", "abc", "Foo", "1"))).isTrue();
    assertThat(k.matches(TestHeaders.of("Bar", "abc4", "Foo", "1"))).isFalse();
  }

  @Test
  void aStarNeverMatchesWhereverItStands() {
    for (List<String> v : List.of(List.of("*"), List.of("*, *"), List.of("", "*"), List.of("Foo, *"),
        List.of("*, Foo"))) {
      VaryKey k = stored(v, "Foo", "1");
      assertThat(k.star()).as(v.toString()).isTrue();
      assertThat(k.matches(TestHeaders.of("Foo", "1"))).isFalse();
    }
  }

  @Test
  void whitespaceAroundCommasAndSplitLinesAreNormalised() {
    VaryKey k = stored(List.of("Foo"), "Foo", "1,2");
    assertThat(k.matches(TestHeaders.of("Foo", " 1, 2 "))).isTrue();
    assertThat(k.matches(TestHeaders.of("Foo", "1", "Foo", "2"))).isTrue();
    assertThat(k.matches(TestHeaders.of("Foo", "2, 1"))).isFalse(); // order may matter in an unknown field
    assertThat(k.matches(TestHeaders.of("Foo", "1,2,"))).isTrue();
  }

  @Test
  void negotiationFieldsIgnoreCaseAndOrder() {
    VaryKey k = stored(List.of("Accept-Language, Accept-Encoding"), "Accept-Language", "en, de",
        "Accept-Encoding", "gzip, br;q=0.5");
    assertThat(k.matches(TestHeaders.of("Accept-Language", "de,EN", "Accept-Encoding", "BR ; q=0.5, GZIP"))).isTrue();
    assertThat(k.matches(TestHeaders.of("Accept-Language", "de", "Accept-Encoding", "gzip, br;q=0.5"))).isFalse();
  }

  @Test
  void unknownFieldsKeepTheirCase() {
    VaryKey k = stored(List.of("X-Token"), "X-Token", "Abc");
    assertThat(k.matches(TestHeaders.of("X-Token", "abc"))).isFalse();
  }

  @Test
  void twoKeysAreTheSameVariantWhenFieldsAndValuesAgree() {
    assertThat(stored(List.of("Foo"), "Foo", "1").sameAs(stored(List.of("foo"), "Foo", " 1"))).isTrue();
    assertThat(stored(List.of("Foo"), "Foo", "1").sameAs(stored(List.of("Foo"), "Foo", "2"))).isFalse();
    assertThat(VaryKey.NONE.sameAs(stored(List.of()))).isTrue();
  }
}
