package io.frontdesk.pluginhost;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.PluginJars;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin in README.md compiles, loads as a jar and does what the README says; the README shows
 * examples/hello-plugin exactly (that project is built and tested by the suite as a module, with the
 * pom a newcomer copies).
 */
class ReadmeExampleTest {

  static String block(String readme, String marker) {
    return block(readme, marker, "java");
  }

  static String block(String readme, String marker, String lang) {
    int at = readme.indexOf("<!-- readme-example:" + marker + " -->");
    int start = readme.indexOf("```" + lang + "\n", at) + lang.length() + 4;
    int end = readme.indexOf("```", start);
    assertThat(at).as("README marker " + marker).isPositive();
    return readme.substring(start, end);
  }

  @Test
  void theReadmeShowsTheExampleProjectAsItIs() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    String readme = Files.readString(root.resolve("README.md"));
    Path example = root.resolve("examples/hello-plugin");
    assertThat(block(readme, "filter"))
        .isEqualTo(Files.readString(example.resolve("src/main/java/com/example/hello/HelloFilterFactory.java")));
    assertThat(block(readme, "test"))
        .isEqualTo(Files.readString(example.resolve("src/test/java/com/example/hello/HelloFilterTest.java")));
    String pom = Files.readString(example.resolve("pom.xml"));
    assertThat(block(readme, "pom", "xml")).isEqualTo(pom);
    assertThat(pom).as("a plugin's own project needs no platform and no parent of ours")
        .doesNotContain("frontdesk-platform").doesNotContain("<parent>");
  }

  @Test
  void theReadmePluginWorksAsDocumented() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
    String filter = block(readme, "filter");
    assertThat(filter.lines().count()).as("the README promises a filter in at most 40 lines").isLessThanOrEqualTo(40);
    // Its test compiles and runs in examples/hello-plugin (a module of the build), against the kit.
    TestBackend backend = TestBackend.start("readme");
    try (TestNode node = TestNode.start()) {
      node.admin().simpleRoute("app", "*", backend.port());
      PluginJars.plugin("hello").source("com.example.hello.HelloFilterFactory", filter, true)
          .writeTo(node.node().settings().pluginsDir().resolve("hello-1.0.0.jar"));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (node.admin().get("/plugins/hello").status() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(node.admin().get("/plugins/hello").json().getString("state")).isEqualTo("STARTED");
      expect(201, node.admin().post("/plugins/hello/bindings", new JsonObject().put("scope", "global")
          .put("config", new JsonObject().put("greeting", "hi"))));
      long upstream = backend.requests();
      Http.Response hello = Http.get(node.proxy() + "/hello");
      assertThat(hello.body()).isEqualTo("hi\n");
      assertThat(backend.requests()).isEqualTo(upstream);
      assertThat(Http.get(node.proxy() + "/anything").header("x-greeting")).isEqualTo("hi");
    } finally {
      backend.close();
    }
  }
}
