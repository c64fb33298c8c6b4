package io.frontdesk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JvmDefaultsTest {

  static final long GIB = 1L << 30;

  @Test
  void withoutFlagsTheNodeGetsASmallHeapWithAFixedYoungGenerationAndTheSerialCollector() {
    assertThat(JvmDefaults.missing(List.of(), Map.of(), 24 * GIB))
        .containsExactly("-Xms64m", "-Xmx256m", "-Xmn32m", "-XX:+UseSerialGC");
  }

  @Test
  void aSmallMachineGetsAQuarterOfItsMemoryButNotLessThan128MiB() {
    assertThat(JvmDefaults.missing(List.of(), Map.of(), GIB * 3 / 4)).contains("-Xmx192m");
    assertThat(JvmDefaults.missing(List.of(), Map.of(), GIB / 4)).contains("-Xmx128m");
  }

  @Test
  void theUsersHeapOrCollectorWinsWhereverItIsSet() {
    // the young generation's size comes only with a heap and collector of ours
    assertThat(JvmDefaults.missing(List.of("-Xmx2g"), Map.of(), 24 * GIB)).containsExactly("-XX:+UseSerialGC");
    assertThat(JvmDefaults.missing(List.of("-XX:MaxRAMPercentage=50"), Map.of(), 24 * GIB))
        .containsExactly("-XX:+UseSerialGC");
    assertThat(JvmDefaults.missing(List.of("-XX:+UseZGC"), Map.of(), 24 * GIB)).containsExactly("-Xms64m", "-Xmx256m");
    assertThat(JvmDefaults.missing(List.of("-XX:NewSize=64m"), Map.of(), 24 * GIB))
        .containsExactly("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
    assertThat(JvmDefaults.missing(List.of(), Map.of("JAVA_OPTS", " -XX:+UseSerialGC  -Xms1g "), 24 * GIB)).isEmpty();
    // flags that merely look alike choose nothing
    assertThat(JvmDefaults.missing(List.of("-XX:+UseCompressedOops", "-Dx=-Xmx1g"), Map.of(), 24 * GIB)).hasSize(4);
  }

  @Test
  void theSecondJvmGetsThisOnesFlagsThenTheDefaultsThenJavaOpts() {
    List<String> cmd = JvmDefaults.command("/jdk/bin/java", "/opt/fd/frontdesk.jar", List.of("-Dfoo=1"),
        Map.of("JAVA_OPTS", "-Xss512k"), 24 * GIB, "io.frontdesk.Main", new String[] {"--http-port", "80"});
    assertThat(cmd).containsExactly("/jdk/bin/java", "-Dfoo=1", "-Xms64m", "-Xmx256m", "-Xmn32m",
        "-XX:+UseSerialGC", "-Xss512k", "-cp", "/opt/fd/frontdesk.jar", "io.frontdesk.Main", "--http-port", "80");
  }

  @Test
  void noSecondJvmWhenTheUserChoseEverythingTurnedItOffIsInItOrRunsFromClasses() {
    String[] none = {};
    assertThat(JvmDefaults.command("java", "/f.jar", List.of("-Xmx1g", "-XX:+UseG1GC"), Map.of(), GIB, "M", none))
        .isNull();
    assertThat(JvmDefaults.command("java", "/f.jar", List.of(), Map.of(JvmDefaults.SWITCH, "off"), GIB, "M", none))
        .isNull();
    assertThat(JvmDefaults.command("java", "/f.jar", List.of(), Map.of(JvmDefaults.APPLIED, "1"), GIB, "M", none))
        .isNull();
    assertThat(JvmDefaults.command("java", "/build/classes", List.of(), Map.of(), GIB, "M", none)).isNull();
    assertThat(JvmDefaults.command("java", "/f.jar", List.of(), Map.of(), GIB, "M", none)).isNotNull();
    // JAVA_OPTS a launch script already passed to this JVM (the Docker image's entry point)
    assertThat(JvmDefaults.command("java", "/f.jar", List.of("-Xmx1g", "-XX:+UseG1GC"),
        Map.of("JAVA_OPTS", "-Xmx1g -XX:+UseG1GC"), GIB, "M", none)).isNull();
  }

  @Test
  void javaOptsThatChooseEverythingStillReachTheNodeThroughASecondJvm() {
    // java does not read JAVA_OPTS: run in this JVM and they would be lost
    assertThat(JvmDefaults.command("java", "/f.jar", List.of(), Map.of("JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC"),
        GIB, "M", new String[0])).containsExactly("java", "-Xmx1g", "-XX:+UseSerialGC", "-cp", "/f.jar", "M");
  }
}
