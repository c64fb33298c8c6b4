package io.frontdesk.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads and offers its algorithms. */
class BalancersJarIT {

  @Test
  void theJarOffersEveryAlgorithm() {
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(Path.of(System.getProperty("plugin.jar"))).start()) {
      JsonObject info = fd.admin("GET", "/plugins/balancers", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getJsonArray("extensions")).containsExactlyInAnyOrder("balancer:round-robin",
          "balancer:least-connections", "balancer:p2c", "balancer:consistent-hash", "balancer:peak-ewma");
    }
  }
}
