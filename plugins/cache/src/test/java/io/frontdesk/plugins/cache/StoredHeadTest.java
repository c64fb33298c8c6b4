package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoredHeadTest {

  static final long T = 1_800_000_000_000L;
  static final Freshness.Heuristic H = new Freshness.Heuristic(0.1, 86400);

  static StoredHead capture(String... fields) {
    return StoredHead.capture(200, TestHeaders.of(fields), T - 1000, T, VaryKey.NONE, H);
  }

  @Test
  void keepsEveryFieldButThoseRecomputedOrNotForStoring() {
    StoredHead h = capture("Cache-Control", "max-age=60", "Content-Type", "text/plain", "Set-Cookie", "a=b",
        "X-Test", "1", "Age", "5", "Content-Length", "10", "Proxy-Authenticate", "Basic", "X-Request-Id", "r1",
        "Date", HttpDate.format(T / 1000));
    assertThat(List.of(h.headers())).containsExactly("Cache-Control", "max-age=60", "Content-Type", "text/plain",
        "Set-Cookie", "a=b", "X-Test", "1", "Date", HttpDate.format(T / 1000));
    assertThat(h.policy().lifetimeSeconds()).isEqualTo(60);
    assertThat(h.age(T)).isEqualTo(6000); // Age 5 + 1 s in transit
  }

  @Test
  void fieldsNamedByPrivateOrNoCacheAreLeftOut() {
    StoredHead h = capture("Cache-Control", "no-cache=\"a, b\"", "Cache-Control", "max-age=3600, private=c",
        "a", "1", "b", "2", "c", "3", "d", "4");
    assertThat(h.header("a")).isNull();
    assertThat(h.header("b")).isNull();
    assertThat(h.header("c")).isNull();
    assertThat(h.header("d")).isEqualTo("4");
    assertThat(h.policy().noCache()).isFalse(); // qualified no-cache only keeps fields out
  }

  @Test
  void aResponseWithoutDateGetsTheTimeItArrived() {
    StoredHead h = capture("Cache-Control", "max-age=60");
    assertThat(h.header("date")).isEqualTo(HttpDate.format(T / 1000));
  }

  @Test
  void anInvalidDateCountsAsTheTimeOfArrivalAndStays() {
    StoredHead h = capture("Date", "foo", "Expires", HttpDate.format(T / 1000 + 10));
    assertThat(h.header("date")).isEqualTo("foo");
    assertThat(h.policy().lifetimeSeconds()).isEqualTo(10);
  }

  @Test
  void aNotModifiedReplacesTheFieldsItCarriesAndTheTimes() {
    StoredHead h = capture("Cache-Control", "max-age=1", "ETag", "\"v1\"", "X-Test", "A", "Set-Cookie", "a=b",
        "Content-Type", "text/plain", "Content-Encoding", "gzip", "Date", HttpDate.format(T / 1000));
    long later = T + 10_000;
    StoredHead f = h.freshen(TestHeaders.of("Cache-Control", "max-age=3600", "ETag", "\"v1\"", "X-Test", "B",
        "Set-Cookie", "a=c", "Content-Length", "0", "Content-Encoding", "br", "Date", HttpDate.format(later / 1000)),
        later - 100, later, H);
    assertThat(f.header("x-test")).isEqualTo("B");
    assertThat(f.header("set-cookie")).isEqualTo("a=c");
    assertThat(f.header("content-type")).isEqualTo("text/plain");
    assertThat(f.header("content-encoding")).isEqualTo("gzip");
    assertThat(f.header("content-length")).isNull();
    assertThat(HeaderList.getAll(f.headers(), "x-test")).hasSize(1);
    assertThat(f.policy().lifetimeSeconds()).isEqualTo(3600);
    assertThat(f.fresh(later + 1000)).isTrue();
    assertThat(h.fresh(later)).isFalse();
  }

  @Test
  void freshnessAndTtlFollowTheAge() {
    StoredHead h = capture("Cache-Control", "max-age=10", "Date", HttpDate.format(T / 1000));
    assertThat(h.fresh(T + 8000)).isTrue();
    assertThat(h.ttlSeconds(T + 8000)).isEqualTo(1);
    assertThat(h.fresh(T + 9000)).isFalse();
    assertThat(h.ttlSeconds(T + 12000)).isEqualTo(-3);
  }
}
