package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorabilityRulesTest {

  @ParameterizedTest(name = "{0} {1} req-no-store={2} auth={3} expires={4} -> {5}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "200 | -                         | false | false | false | true",
      "302 | -                         | false | false | false | false",
      "302 | max-age=60                | false | false | false | true",
      "500 | -                         | false | false | true  | true",
      "599 | max-age=60                | false | false | false | true",
      "599 | -                         | false | false | false | false",
      "599 | public                    | false | false | false | true",
      "206 | max-age=60                | false | false | false | false",
      "304 | max-age=60                | false | false | false | false",
      "200 | no-store, max-age=60      | false | false | false | false",
      "200 | No-StOrE                  | false | false | false | false",
      "200 | max-age=60                | true  | false | false | false",
      "200 | no-store, must-understand | false | false | false | true",
      "599 | no-store, must-understand | false | false | false | false",
      "299 | must-understand, max-age=5 | false | false | false | false",
      "200 | private, max-age=60       | false | false | false | false",
      "200 | private=x-user, max-age=60 | false | false | false | true",
      "200 | max-age=60                | false | true  | false | false",
      "200 | max-age=60, public        | false | true  | false | true",
      "200 | s-maxage=60               | false | true  | false | true",
      "200 | max-age=60, must-revalidate | false | true | false | true",
      "201 | -                         | false | false | false | false",
      "404 | -                         | false | false | false | true",
  })
  void followsRfc9111SectionsThreeAndThreeFive(int status, String cc, boolean reqNoStore, boolean auth,
      boolean expires, boolean storable) {
    assertThat(StorabilityRules.check(status, reqNoStore, CacheControl.parse(cc), auth, expires).storable())
        .isEqualTo(storable);
  }
}
