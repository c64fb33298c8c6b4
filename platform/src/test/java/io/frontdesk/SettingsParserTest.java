package io.frontdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsParserTest {

  @Test
  void flagsBeatEnvironmentWhichBeatsDefaults() {
    Settings s = SettingsParser.parse(new String[] {"--http-port=8081", "--drain-timeout", "500ms"},
        Map.of("FRONTDESK_HTTP_PORT", "7000", "FRONTDESK_ADMIN_PORT", "9100", "FRONTDESK_TRUSTED_PROXIES", "10.0.0.0/8, ::1"));
    assertThat(s.httpPort()).isEqualTo(8081);
    assertThat(s.adminPort()).isEqualTo(9100);
    assertThat(s.adminBind()).isEqualTo("127.0.0.1");
    assertThat(s.drainTimeoutMillis()).isEqualTo(500);
    assertThat(s.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
    assertThat(s.embeddedDatabase()).isTrue();
    assertThat(s.httpsPort()).isEqualTo(-1);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--nope"}, Map.of()))
        .hasMessageContaining("unknown option --nope");
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--keepalive-timeout", "soon"}, Map.of()))
        .hasMessageContaining("--keepalive-timeout must be a duration");
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--https-port", "8443"}, Map.of()))
        .hasMessageContaining("needs --tls-cert and --tls-key");
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {}, Map.of("FRONTDESK_TRUSTED_PROXIES", "office")))
        .hasMessageContaining("'office' is not an IP address");
  }

  @Test
  void http2LimitsHaveDefaultsAndCanBeSet() {
    Settings d = SettingsParser.parse(new String[] {}, Map.of());
    assertThat(d.h2MaxConcurrentStreams()).isEqualTo(100);
    assertThat(d.h2MaxHeaderListSize()).isEqualTo(64 * 1024);
    Settings s = SettingsParser.parse(new String[] {"--h2-max-concurrent-streams", "20"},
        Map.of("FRONTDESK_H2_MAX_HEADER_LIST_SIZE", "16k"));
    assertThat(s.h2MaxConcurrentStreams()).isEqualTo(20);
    assertThat(s.h2MaxHeaderListSize()).isEqualTo(16 * 1024);
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--h2-max-concurrent-streams", "0"}, Map.of()))
        .hasMessageContaining("--h2-max-concurrent-streams must be a positive integer");
  }

  @Test
  void adminHardeningSettingsHaveSafeDefaultsAndAMetricsTokenMustBeLong() {
    Settings s = SettingsParser.parse(new String[] {}, Map.of());
    assertThat(s.adminIdleTimeoutMillis()).isEqualTo(60_000);
    assertThat(s.filterStallMillis()).isEqualTo(2_000);
    assertThat(s.metricsToken()).isEmpty();
    assertThat(SettingsParser.parse(new String[] {}, Map.of("FRONTDESK_METRICS_TOKEN", "prometheus-scrape-token"))
        .metricsToken()).isEqualTo("prometheus-scrape-token");
    assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--metrics-token", "short"}, Map.of()))
        .hasMessageContaining("--metrics-token must be at least 16 characters");
  }
}
