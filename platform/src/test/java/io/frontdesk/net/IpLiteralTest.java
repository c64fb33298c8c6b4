package io.frontdesk.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {

  @Test
  void ipv4BytesAreTheAddressThatParseGives() {
    for (String ip : new String[] {"0.0.0.0", "127.0.0.1", "10.255.0.9", "255.255.255.255", "192.168.1.100"}) {
      assertThat(IpLiteral.ipv4Bytes(ip)).as(ip).isEqualTo(IpLiteral.parse(ip).getAddress());
    }
  }

  @Test
  void anythingButADottedQuadHasNoIpv4Bytes() {
    for (String s : new String[] {null, "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "::1", "1..2.3", "a.b.c.d",
        "1.2.3.1234"}) {
      assertThat(IpLiteral.ipv4Bytes(s)).as(String.valueOf(s)).isNull();
    }
  }
}
