package io.frontdesk.plugins.compression;

import static io.frontdesk.plugins.compression.Coding.BR;
import static io.frontdesk.plugins.compression.Coding.GZIP;
import static io.frontdesk.plugins.compression.Coding.ZSTD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

  private static final List<Coding> ALL = List.of(BR, ZSTD, GZIP);

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      // header                                  | chosen with preference br, zstd, gzip
      "gzip                                      | gzip",
      "gzip, deflate, br, zstd                   | br",
      "gzip, deflate, br                         | br",
      "GZIP                                      | gzip",
      "x-gzip                                    | gzip",
      "deflate                                   | none",
      "compress, deflate                         | none",
      "''                                        | none",
      "identity                                  | none",
      "*                                         | br",
      "*;q=0                                     | none",
      "br;q=0, *                                 | zstd",
      "br;q=0, zstd;q=0, *                       | gzip",
      "gzip;q=1.0, br;q=0.5                      | gzip",
      "gzip;q=0.8, zstd;q=0.9, br;q=0.7          | zstd",
      "gzip;q=0.5, br;q=0.5                      | br",
      "gzip;q=0                                  | none",
      "gzip;q=0.5, identity;q=0.9                | none",
      "gzip;q=0.9, identity;q=0.5                | gzip",
      "identity;q=0, gzip                        | gzip",
      "gzip;q=2                                  | none",
      "gzip;q=abc, br                            | br",
      "gzip ; q=0.001                            | gzip",
      "br;Q=0.7 , gzip;q=0.6                     | br",
      ",,gzip,,                                  | gzip",
      "gzip;level=1                              | gzip"})
  void choosesByQualityThenPreference(String header, String expected) {
    Coding c = AcceptEncoding.choose(header, ALL);
    assertThat(c == null ? null : c.token).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] with gzip, zstd -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "br                      | none",
      "br, gzip                | gzip",
      "br, zstd, gzip          | gzip",
      "*                       | gzip",
      "zstd;q=0.9, gzip;q=0.1  | zstd"})
  void usesOnlyWhatTheOperatorAllowsInTheirOrder(String header, String expected) {
    Coding c = AcceptEncoding.choose(header, List.of(GZIP, ZSTD));
    assertThat(c == null ? null : c.token).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"none", "''"})
  void noHeaderMeansNoCompression(String header) {
    assertThat(AcceptEncoding.choose(header.equals("none") ? null : header, ALL)).isNull();
  }
}
