package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateAndKeyTest {

  @Test
  void ratesAreCountsPerSecondMinuteHourOrDay() {
    assertThat(Rate.parse("5/s")).isEqualTo(new Rate(5, 1_000_000, "5/s"));
    assertThat(Rate.parse("1000/h").intervalMicros()).isEqualTo(3_600_000);
    assertThat(Rate.parse(" 10 / m ").periodSeconds()).isEqualTo(60);
    assertThat(Rate.parse("2/d").periodSeconds()).isEqualTo(86_400);
    assertThatThrownBy(() -> Rate.parse("5/sec")).hasMessageContaining("'5/sec' is not a rate: write N/s, N/m, N/h or N/d");
    assertThatThrownBy(() -> Rate.parse("0/s")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Rate.parse("2000000/s")).hasMessageContaining("at most 1000000/s");
  }

  @Test
  void keysNameTheirPartsAndRefuseUnknownOnes() {
    assertThat(KeySpec.parse(List.of("client-ip", "header:X-Api-Key"), 32, 64).toString())
        .isEqualTo("client-ip+header:x-api-key");
    assertThatThrownBy(() -> KeySpec.parse(List.of("ip"), 32, 64))
        .hasMessageContaining("'ip' is not a key: use client-ip, consumer, route, site, header:<name>, cookie:<name>");
    assertThatThrownBy(() -> KeySpec.parse(List.of("header:"), 32, 64)).hasMessageContaining("needs a header name");
    assertThatThrownBy(() -> KeySpec.parse(List.of("route", "route"), 32, 64)).hasMessageContaining("twice");
  }

  @Test
  void ipv6ClientsCountByTheirPrefix() {
    assertThat(ClientAddress.key("2001:db8:1:2:3:4:5:6", 32, 64)).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(ClientAddress.key("2001:db8:1:2:ffff::1", 32, 64)).isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(ClientAddress.key("2001:db8::1", 32, 128)).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(ClientAddress.key("203.0.113.77", 32, 64)).isEqualTo("203.0.113.77");
    assertThat(ClientAddress.key("203.0.113.77", 24, 64)).isEqualTo("203.0.113.0/24");
    assertThat(ClientAddress.key("::ffff:203.0.113.77", 24, 64)).isEqualTo("203.0.113.0/24");
    assertThat(ClientAddress.key("not-an-address", 24, 64)).isNull();
  }

  @Test
  void cookiesAreFoundAmongOthers() {
    assertThat(KeySpec.cookie(List.of("a=1; session=abc; b=2"), "session")).isEqualTo("abc");
    assertThat(KeySpec.cookie(List.of("a=1", "session=\"q\""), "session")).isEqualTo("q");
    assertThat(KeySpec.cookie(List.of("sessionx=1"), "session")).isNull();
  }

  @Test
  void rateLimitHeadersAreStructuredFieldLists() {
    Limit a = new Limit("client-ip 5/s", KeySpec.parse(List.of("client-ip"), 32, 64), Rate.parse("5/s"),
        Limit.Algorithm.GCRA, 0, -1);
    Limit b = new Limit("say \"hi\"", KeySpec.parse(List.of("consumer"), 32, 64), Rate.parse("1000/h"),
        Limit.Algorithm.GCRA, 999, -1);
    RateLimitHeaders.Fields f = RateLimitHeaders.of(List.of(a, b),
        new Outcome[] {new Outcome(true, 0, 200_000, 0, 0), new Outcome(true, 998, 3_600_000, 0, 0)}, List.of(), null);
    assertThat(f.policy()).isEqualTo("\"client-ip 5/s\";q=5;w=1, \"say \\\"hi\\\"\";q=1000;w=3600");
    assertThat(f.state()).isEqualTo("\"client-ip 5/s\";r=0;t=1, \"say \\\"hi\\\"\";r=998;t=4");
  }
}
