package io.frontdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

  @ParameterizedTest
  @CsvSource({
      "/, /",
      "/a/b, /a/b",
      "/a//b, /a/b",
      "/a/./b, /a/b",
      "/a/b/.., /a/",
      "/a/b/../c, /a/c",
      "/a/.b/c, /a/.b/c",
      "/a/..b, /a/..b",
      "/%61/b, /a/b",
      "/a%2fb, /a%2Fb",
      "/a%2E%2E/x, /a../x",
      "/x/%2e%2e/y, /y",
      "/a/b/, /a/b/",
      "/., /",
      "//, /",
  })
  void normalises(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"/../a", "/a/../../b", "/%zz", "/abc%4", "relative", "/%2e%2e/x", "/admin%00", "/a%0d%0aX:%20y", "/a%7f"})
  void refusesPathsThatEscapeOrAreBroken(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isNull();
  }

  @Test
  void namesTheUnusualFormsARouteMustAllow() {
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/plain/path"))).isZero();
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/a%2fb"))).isEqualTo(PathNormalizer.SLASH_FORMS);
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/a%5Cb"))).isEqualTo(PathNormalizer.SLASH_FORMS);
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/a\\b"))).isEqualTo(PathNormalizer.SLASH_FORMS);
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/x/..;/admin")))
        .isEqualTo(PathNormalizer.PATH_PARAMETERS);
    assertThat(PathNormalizer.unusualForms(PathNormalizer.normalize("/a%2525"))).isZero(); // an escaped percent
  }
}
