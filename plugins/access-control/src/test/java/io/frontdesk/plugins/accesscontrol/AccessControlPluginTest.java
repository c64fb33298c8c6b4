package io.frontdesk.plugins.accesscontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccessControlPluginTest {

  static FrontdeskTestKit fd;

  @BeforeAll
  static void start() {
    // Behind a trusted proxy on 127.0.0.1, the client is taken from X-Forwarded-For.
    fd = FrontdeskTestKit.builder().plugin("access-control", new AccessControlFilterFactory())
        .flag("--trusted-proxies", "127.0.0.1/32").start();
  }

  @AfterAll
  static void stop() {
    fd.close();
  }

  static JsonObject list(String key, String... cidrs) {
    return new JsonObject().put(key, new JsonArray(java.util.List.of(cidrs)));
  }

  @Test
  void allowListLetsOnlyItsNetworksIn() {
    fd.routeToBackend("office", "/office");
    fd.bind("access-control", "route", "office", list("allow", "10.0.0.0/8", "2001:db8::/32"));
    assertThat(fd.get("/office", "X-Forwarded-For", "10.20.30.40").status()).isEqualTo(200);
    assertThat(fd.get("/office", "X-Forwarded-For", "2001:db8::7").status()).isEqualTo(200);
    FrontdeskTestKit.Response refused = fd.get("/office", "X-Forwarded-For", "203.0.113.5", "Accept", "application/json");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getInteger("status")).isEqualTo(403);
    assertThat(refused.body()).doesNotContain("203.0.113.5"); // the reason goes to the log, not the client
  }

  @Test
  void denyWinsOverAllowAndDefaultsApply() {
    fd.routeToBackend("mixed", "/mixed");
    fd.bind("access-control", "route", "mixed", list("allow", "10.0.0.0/8").put("deny", new JsonArray().add("10.6.6.6")));
    assertThat(fd.get("/mixed", "X-Forwarded-For", "10.1.1.1").status()).isEqualTo(200);
    assertThat(fd.get("/mixed", "X-Forwarded-For", "10.6.6.6").status()).isEqualTo(403);

    fd.routeToBackend("open", "/open");
    fd.bind("access-control", "route", "open", list("deny", "192.0.2.0/24").put("status", 404));
    assertThat(fd.get("/open", "X-Forwarded-For", "198.51.100.1").status()).isEqualTo(200);
    assertThat(fd.get("/open", "X-Forwarded-For", "192.0.2.9").status()).isEqualTo(404);
  }

  @Test
  void aForgedHeaderFromAnUntrustedHopDoesNotHelp() {
    fd.routeToBackend("inner", "/inner");
    fd.bind("access-control", "route", "inner", list("allow", "10.0.0.0/8"));
    // 8.8.8.8 (untrusted) claims to forward for 10.0.0.1: the first untrusted hop is the client.
    assertThat(fd.get("/inner", "X-Forwarded-For", "10.0.0.1, 8.8.8.8").status()).isEqualTo(403);
  }

  @Test
  void refusesAddressesThatAreNotCidrs() {
    fd.routeToBackend("bad", "/bad");
    FrontdeskTestKit.Response r = fd.admin("POST", "/plugins/access-control/bindings", new JsonObject()
        .put("scope", "route").put("target", "bad").put("config", list("allow", "10.0.0.0/8", "office-lan")));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("allow[1]: 'office-lan' is not an IP address or CIDR range");
  }
}
