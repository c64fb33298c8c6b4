package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.plugins.cache.Freshness.Lifetime;
import io.frontdesk.plugins.cache.Freshness.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessTest {

  static final long NOW = 1_800_000_000L;
  static final Freshness.Heuristic TEN_PERCENT = new Freshness.Heuristic(0.1, 86400);

  static Lifetime of(String cc, List<String> expires, String lastModified, int status) {
    return Freshness.lifetime(CacheControl.parse(cc), expires, NOW, lastModified, status, TEN_PERCENT, NOW);
  }

  static String date(long offset) {
    return HttpDate.format(NOW + offset);
  }

  @Test
  void aSharedCacheTakesSMaxageOverMaxAgeWhicheverComesFirst() {
    assertThat(of("max-age=3600, s-maxage=1", null, null, 200)).isEqualTo(new Lifetime(1, Source.S_MAXAGE));
    assertThat(of("s-maxage=1, max-age=3600", null, null, 200)).isEqualTo(new Lifetime(1, Source.S_MAXAGE));
    assertThat(of("max-age=1, s-maxage=3600", null, null, 200)).isEqualTo(new Lifetime(3600, Source.S_MAXAGE));
  }

  @Test
  void maxAgeWinsOverExpires() {
    assertThat(of("max-age=3600", List.of(date(-10000)), null, 200).seconds()).isEqualTo(3600);
    assertThat(of("max-age=3600", List.of("0"), null, 200).seconds()).isEqualTo(3600);
    assertThat(of("max-age=0", List.of(date(10000)), null, 200).seconds()).isZero();
  }

  @Test
  void expiresCountsFromTheDate() {
    assertThat(of(null, List.of(date(100)), null, 200)).isEqualTo(new Lifetime(100, Source.EXPIRES));
    assertThat(of(null, List.of(date(-100)), null, 200).seconds()).isZero();
  }

  @Test
  void anInvalidOrRepeatedExpiresMeansStale() {
    assertThat(of(null, List.of("0"), date(-100000), 200)).isEqualTo(new Lifetime(0, Source.EXPIRES));
    assertThat(of(null, List.of(date(100), date(200)), null, 200).seconds()).isZero();
  }

  @Test
  void anInvalidMaxAgeMeansStaleNotHeuristic() {
    assertThat(of("max-age=a100", null, date(-100000), 200)).isEqualTo(new Lifetime(0, Source.MAX_AGE));
    assertThat(of("max-age =100", null, null, 200).seconds()).isZero();
  }

  @Test
  void theHeuristicIsATenthOfTheTimeSinceLastModifiedUpToItsCap() {
    assertThat(of(null, null, date(-3000), 200)).isEqualTo(new Lifetime(300, Source.HEURISTIC));
    assertThat(of(null, null, date(-100 * 86400), 404)).isEqualTo(new Lifetime(86400, Source.HEURISTIC));
  }

  @Test
  void theHeuristicIsOnlyForStatusesThatAllowItOrPublicResponses() {
    assertThat(of(null, null, date(-3000), 302)).isEqualTo(Lifetime.NONE);
    assertThat(of(null, null, date(-3000), 500)).isEqualTo(Lifetime.NONE);
    assertThat(of("public", null, date(-3000), 599).seconds()).isEqualTo(300);
  }

  @Test
  void noLastModifiedOrOneInTheFutureGivesNoHeuristic() {
    assertThat(of(null, null, null, 200)).isEqualTo(Lifetime.NONE);
    assertThat(of(null, null, date(10), 200)).isEqualTo(Lifetime.NONE);
    assertThat(of(null, null, "yesterday", 200)).isEqualTo(Lifetime.NONE);
  }
}
