package com.example.hello;

import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HelloFilterTest {
  @Test
  void greets() {
    try (FrontdeskTestKit fd = FrontdeskTestKit.builder().plugin("hello", new HelloFilterFactory()).start()) {
      fd.routeToBackend("app", "/");
      fd.bind("hello", "global", null, new JsonObject().put("greeting", "hi"));
      assertEquals("hi\n", fd.get("/hello").body());
      assertEquals("hi", fd.get("/anything").header("X-Greeting"));
    }
  }
}
