package io.frontdesk;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.ProcessNode;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code java -jar} without flags: the node runs in a second JVM with the defaults, and stops with the first. */
class JvmDefaultsProcessTest {

  @Test
  void aJarStartedWithoutFlagsServesFromAChildJvmWithTheDefaultsAndJavaOptsAndStopsWithIt() throws Exception {
    Path jar = launcherJar();
    TestBackend backend = TestBackend.start("app");
    try {
      ProcessNode node = ProcessNode.startJar(jar, Map.of("JAVA_OPTS", "-Dfrontdesk.marker=set"),
          List.of("--data-dir", TestPaths.newDir("launched").toString()));
      List<ProcessHandle> children = node.process().children().toList();
      assertThat(children).hasSize(1);
      ProcessHandle child = children.get(0);
      List<String> childArgs = List.of(child.info().arguments().orElseThrow());
      assertThat(childArgs).containsSubsequence("-Xms64m", "-Xmn32m", "-XX:+UseSerialGC", "-Dfrontdesk.marker=set", "-cp",
          jar.toString(), "io.frontdesk.Main");
      assertThat(childArgs.stream().filter(a -> a.startsWith("-Xmx"))).hasSize(1);

      node.admin().simpleRoute("app", "*", backend.port());
      assertThat(Http.get(node.proxy() + "/x").status()).isEqualTo(200);

      node.terminate(60); // SIGTERM to the JVM the user started
      assertThat(child.isAlive()).isFalse();
      assertThat(node.output()).contains("shutting down").contains("stopped");
    } finally {
      backend.close();
    }
  }

  /** This build's classes as a jar whose manifest names the rest of the test class path. */
  static Path launcherJar() throws Exception {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> rest = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (!p.equals(classes.toAbsolutePath()) && !p.endsWith("test-classes")) {
        rest.add(p.toUri().toString());
      }
    }
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", rest));
    Path jar = TestPaths.newDir("launcher").resolve("frontdesk.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m);
        Stream<Path> files = Files.walk(classes)) {
      files.filter(Files::isRegularFile).forEach(f -> {
        try {
          j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, j);
          j.closeEntry();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return jar;
  }
}
