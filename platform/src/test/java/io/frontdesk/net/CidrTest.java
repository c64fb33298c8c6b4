package io.frontdesk.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.proxy.TrustedProxies;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void matchesIpv4AndIpv6Networks() {
    Cidr v4 = Cidr.parse("10.1.0.0/16");
    assertThat(v4.contains(IpLiteral.parse("10.1.200.3"))).isTrue();
    assertThat(v4.contains(IpLiteral.parse("10.2.0.1"))).isFalse();
    assertThat(v4.contains(IpLiteral.parse("::ffff:10.1.2.3"))).isTrue();
    Cidr v6 = Cidr.parse("2001:db8::/32");
    assertThat(v6.contains(IpLiteral.parse("2001:db8:1::5"))).isTrue();
    assertThat(v6.contains(IpLiteral.parse("2001:db9::5"))).isFalse();
    assertThat(Cidr.parse("192.168.1.7").contains(IpLiteral.parse("192.168.1.7"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(IpLiteral.parse("8.8.8.8"))).isTrue();
  }

  @Test
  void refusesWhatIsNotACidrWithoutLookingItUp() {
    assertThatThrownBy(() -> Cidr.parse("example.com")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Cidr.parse("abc")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
    assertThat(IpLiteral.parse("1.2.3")).isNull();
    assertThat(IpLiteral.parse("256.1.1.1")).isNull();
  }

  @Test
  void theClientIsTheFirstUntrustedHopFromTheRight() {
    TrustedProxies t = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8")));
    assertThat(t.clientFrom(List.of("1.1.1.1, 2.2.2.2, 10.0.0.5"))).isEqualTo("2.2.2.2");
    assertThat(t.clientFrom(List.of("1.1.1.1", "10.0.0.9, 10.0.0.5"))).isEqualTo("1.1.1.1");
    assertThat(t.clientFrom(List.of("10.0.0.1, 10.0.0.2"))).isEqualTo("10.0.0.1");
    assertThat(t.clientFrom(List.of("not-an-ip, 10.0.0.2"))).isNull();
  }
}
