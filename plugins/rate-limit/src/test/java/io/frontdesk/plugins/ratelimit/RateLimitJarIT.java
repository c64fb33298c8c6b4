package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packaged jar (Caffeine and the Redis client inside) loads as a PF4J plugin and works. */
class RateLimitJarIT {

  @Test
  void theJarLoadsAndLimits() {
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      JsonObject info = fd.admin("GET", "/plugins/rate-limit", null).json();
      assertThat(info.getString("state")).isEqualTo("STARTED");
      assertThat(info.getInteger("defaultPriority")).isEqualTo(300);
      fd.routeToBackend("app", "/");
      fd.bind("rate-limit", "route", "app", new JsonObject().put("limits",
          new JsonArray().add(new JsonObject().put("key", "client-ip").put("rate", "1/h"))));
      assertThat(fd.get("/").status()).isEqualTo(200);
      assertThat(fd.get("/").status()).isEqualTo(429);
    }
  }

  @Test
  void theBundledRedisClientWorksInsideThePlugin() throws Exception {
    assumeTrue(RedisServer.installed() || System.getenv("CI") != null, "redis-server is not installed");
    Path jar = Path.of(System.getProperty("plugin.jar"));
    try (RedisServer redis = RedisServer.start();
        FrontdeskTestKit fd = FrontdeskTestKit.builder().pluginJar(jar).start()) {
      fd.routeToBackend("app", "/");
      fd.bind("rate-limit", "route", "app", new JsonObject().put("mode", "redis")
          .put("redis", new JsonObject().put("url", redis.url()).put("failure", "closed").put("timeoutMs", 2000))
          .put("limits", new JsonArray().add(new JsonObject().put("key", "client-ip").put("rate", "1/h"))));
      assertThat(fd.get("/").status()).isEqualTo(200);
      assertThat(fd.get("/").status()).isEqualTo(429);
      assertThat(redis.keys("frontdesk:rl:*")).hasSize(1);
    }
  }
}
