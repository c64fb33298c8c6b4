package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.plugins.cache.Lookup.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class LookupTest {

  static final long T = 1_800_000_000_000L;

  /** A response stored at T with these fields, answering a request with {@code Foo: 1}. */
  static Variants stored(String... fields) {
    TestHeaders f = TestHeaders.of(fields);
    f.add("Date", HttpDate.format(T / 1000));
    StoredHead h = StoredHead.capture(200, f, T, T, VaryKey.fieldsOf(f.getAll("vary")).of(TestHeaders.of("Foo", "1")),
        new Freshness.Heuristic(0.1, 86400));
    return new Variants(List.of(new StoredResponse(h, Body.InMemory.EMPTY)));
  }

  static Lookup.Decision decide(Variants v, long now, String... requestFields) {
    TestHeaders req = TestHeaders.of(requestFields);
    return Lookup.decide(v, req, RequestDirectives.of(req), now);
  }

  @Test
  void nothingStoredGoesForwardAsAUriMiss() {
    Lookup.Decision d = decide(null, T);
    assertThat(d.action()).isEqualTo(Action.FORWARD);
    assertThat(d.fwd()).isEqualTo(CacheStatus.Fwd.URI_MISS);
  }

  @Test
  void aVariantForOtherRequestFieldsIsAVaryMiss() {
    Lookup.Decision d = decide(stored("Cache-Control", "max-age=60", "Vary", "Foo"), T, "Foo", "2");
    assertThat(d.action()).isEqualTo(Action.FORWARD);
    assertThat(d.fwd()).isEqualTo(CacheStatus.Fwd.VARY_MISS);
    assertThat(decide(stored("Cache-Control", "max-age=60", "Vary", "Foo"), T, "Foo", "1").action())
        .isEqualTo(Action.HIT);
  }

  @Test
  void aFreshResponseIsAHitUntilItsLifetimeIsUsedUp() {
    Variants v = stored("Cache-Control", "max-age=60");
    assertThat(decide(v, T + 59_000).action()).isEqualTo(Action.HIT);
    assertThat(decide(v, T + 60_000).action()).isEqualTo(Action.FORWARD);
    assertThat(decide(v, T + 60_000).fwd()).isEqualTo(CacheStatus.Fwd.STALE);
  }

  @Test
  void aStaleResponseWithAValidatorIsValidated() {
    assertThat(decide(stored("Cache-Control", "max-age=60", "ETag", "\"a\""), T + 61_000).action())
        .isEqualTo(Action.VALIDATE);
    assertThat(decide(stored("Cache-Control", "max-age=60", "Last-Modified", HttpDate.format(T / 1000 - 10)),
        T + 61_000).action()).isEqualTo(Action.VALIDATE);
  }

  @Test
  void requestDirectivesCanRefuseAFreshResponse() {
    Variants v = stored("Cache-Control", "max-age=3600", "ETag", "\"a\"");
    assertThat(decide(v, T + 10_000, "Cache-Control", "no-cache").action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(v, T + 10_000, "Cache-Control", "no-cache").fwd()).isEqualTo(CacheStatus.Fwd.REQUEST);
    assertThat(decide(v, T + 10_000, "Pragma", "no-cache").action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(v, T + 10_000, "Pragma", "no-cache", "Cache-Control", "max-stale").action())
        .isEqualTo(Action.HIT); // Cache-Control present: Pragma ignored
    assertThat(decide(v, T + 10_000, "Cache-Control", "max-age=5").action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(v, T + 10_000, "Cache-Control", "max-age=50").action()).isEqualTo(Action.HIT);
    assertThat(decide(v, T + 10_000, "Cache-Control", "min-fresh=3595").action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(v, T + 10_000, "Cache-Control", "min-fresh=60").action()).isEqualTo(Action.HIT);
  }

  @Test
  void noCacheInTheResponseMeansValidateEveryTime() {
    Variants v = stored("Cache-Control", "max-age=3600, no-cache", "ETag", "\"a\"");
    assertThat(decide(v, T).action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(stored("Cache-Control", "max-age=3600, no-cache"), T).action()).isEqualTo(Action.FORWARD);
  }

  @Test
  void maxStaleServesStaleUnlessTheResponseForbidsIt() {
    Variants v = stored("Cache-Control", "max-age=1");
    assertThat(decide(v, T + 100_000, "Cache-Control", "max-stale=1000").action()).isEqualTo(Action.HIT);
    assertThat(decide(v, T + 100_000, "Cache-Control", "max-stale=10").action()).isEqualTo(Action.FORWARD);
    assertThat(decide(v, T + 100_000, "Cache-Control", "max-stale").action()).isEqualTo(Action.HIT);
    for (String cc : List.of("max-age=1, must-revalidate", "max-age=1, proxy-revalidate", "s-maxage=1")) {
      assertThat(decide(stored("Cache-Control", cc), T + 100_000, "Cache-Control", "max-stale").action())
          .as(cc).isEqualTo(Action.FORWARD);
    }
  }

  @Test
  void staleWhileRevalidateAnswersAtOnceWithinItsWindow() {
    Variants v = stored("Cache-Control", "max-age=1, stale-while-revalidate=60", "ETag", "\"a\"");
    assertThat(decide(v, T + 30_000).action()).isEqualTo(Action.HIT_AND_REVALIDATE);
    assertThat(decide(v, T + 62_000).action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(v, T + 30_000, "Cache-Control", "max-age=0").action()).isEqualTo(Action.VALIDATE);
    assertThat(decide(stored("Cache-Control", "max-age=1, stale-while-revalidate=60, must-revalidate"), T + 30_000)
        .action()).isEqualTo(Action.FORWARD);
  }

  @Test
  void onlyIfCachedGetsA504WhenNothingUsableIsStored() {
    assertThat(decide(null, T, "Cache-Control", "only-if-cached").action()).isEqualTo(Action.GATEWAY_TIMEOUT);
    Variants v = stored("Cache-Control", "max-age=60", "ETag", "\"a\"");
    assertThat(decide(v, T + 1000, "Cache-Control", "only-if-cached").action()).isEqualTo(Action.HIT);
    assertThat(decide(v, T + 100_000, "Cache-Control", "only-if-cached").action()).isEqualTo(Action.GATEWAY_TIMEOUT);
  }

  @Test
  void anImmutableFreshResponseIgnoresTheClientsMaxAgeButNotNoCache() {
    Variants v = stored("Cache-Control", "max-age=3600, immutable", "ETag", "\"a\"");
    assertThat(decide(v, T + 10_000, "Cache-Control", "max-age=0").action()).isEqualTo(Action.HIT);
    assertThat(decide(v, T + 10_000, "Cache-Control", "no-cache").action()).isEqualTo(Action.VALIDATE);
  }
}
