package io.frontdesk.plugins.logsyslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar loads as a PF4J plugin and sends. */
class SyslogJarIT {

  @Test
  void theJarLoadsAndSends() throws Exception {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start();
        SyslogReceiver receiver = SyslogReceiver.udp()) {
      assertThat(fd.admin("GET", "/plugins/log-syslog", null).json().getString("state")).isEqualTo("STARTED");
      fd.routeToBackend("app", "/");
      fd.bind("log-syslog", "global", null, new JsonObject().put("host", "127.0.0.1").put("port", receiver.port()));
      String id = fd.get("/hello").header("x-request-id");
      assertThat(receiver.await(1)).singleElement().asString().startsWith("<134>1 ").contains(id);
    }
  }
}
