package io.frontdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostTableTest {

  @Test
  void exactThenLongestWildcardThenCatchAll() {
    HostTable<String> t = HostTable.<String>builder()
        .add("shop.example.com", "exact")
        .add("*.example.com", "wild")
        .add("*.eu.example.com", "wild-eu")
        .add("*", "any")
        .build();
    assertThat(t.find("shop.example.com")).isEqualTo("exact");
    assertThat(t.find("a.example.com")).isEqualTo("wild");
    assertThat(t.find("x.eu.example.com")).isEqualTo("wild-eu");
    assertThat(t.find("eu.example.com")).isEqualTo("wild");
    assertThat(t.find("example.com")).isEqualTo("any");
    assertThat(t.find("other.org")).isEqualTo("any");
  }

  @Test
  void withoutCatchAllUnknownHostsFindNothing() {
    HostTable<String> t = HostTable.<String>builder().add("a.test", "a").build();
    assertThat(t.find("b.test")).isNull();
  }

  @Test
  void hostHeadersAreReducedToTheirName() {
    assertThat(HostPattern.fromHeader("Shop.Example.COM:8080")).isEqualTo("shop.example.com");
    assertThat(HostPattern.fromHeader("example.com.")).isEqualTo("example.com");
    assertThat(HostPattern.fromHeader("[::1]:80")).isEqualTo("[::1]");
    assertThat(HostPattern.fromHeader("a b")).isNull();
    assertThat(HostPattern.fromHeader("host:port")).isNull();
    assertThat(HostPattern.fromHeader("evil.com/x")).isNull();
  }

  @Test
  void sitePatternsAreChecked() {
    assertThat(HostPattern.problem("*.example.com")).isNull();
    assertThat(HostPattern.problem("*")).isNull();
    assertThat(HostPattern.problem("a*.example.com")).contains("wildcard");
    assertThat(HostPattern.problem("example.com:80")).contains("port");
    assertThat(HostPattern.problem("-bad.com")).contains("'-'");
    assertThat(HostPattern.problem("Upper.com")).contains("lower-case");
  }
}
