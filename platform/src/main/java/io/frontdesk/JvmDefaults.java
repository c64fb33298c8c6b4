package io.frontdesk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM settings a node runs best with when its user chose none. A JVM started without flags
 * takes G1 and a quarter of the machine's memory as its heap: on a 24 GiB machine that was 933 MiB
 * resident with 10,000 connections where these settings keep it to half, and 5 % fewer requests a
 * second. A heap size cannot be changed once a JVM runs, so {@code java -jar} starts a second JVM
 * with them ({@link #command}); any heap or collector flag of the user's — on the command line, in
 * {@code JDK_JAVA_OPTIONS}/{@code JAVA_TOOL_OPTIONS}, or in {@code JAVA_OPTS}, which the second JVM
 * also gets, after these — wins over the matching default.
 */
final class JvmDefaults {

  /** Set in the second JVM's environment, so it does not start a third. */
  static final String APPLIED = "FRONTDESK_JVM_DEFAULTS_APPLIED";
  /** {@code off}: run in the JVM started, whatever its settings. */
  static final String SWITCH = "FRONTDESK_JVM_DEFAULTS";

  private static final long MIB = 1024 * 1024;

  private JvmDefaults() {
  }

  /**
   * @param jvmArgs the flags this JVM was started with (those from {@code JDK_JAVA_OPTIONS} and
   *     {@code JAVA_TOOL_OPTIONS} included)
   * @param physicalBytes the memory the JVM may see (a container's limit)
   * @return the defaults none of the user's flags cover (empty: nothing to add)
   */
  static List<String> missing(List<String> jvmArgs, Map<String, String> env, long physicalBytes) {
    List<String> user = new ArrayList<>(jvmArgs);
    user.addAll(javaOpts(env));
    List<String> add = new ArrayList<>();
    boolean ownHeap = user.stream().noneMatch(JvmDefaults::choosesHeap);
    boolean ownCollector = user.stream().noneMatch(JvmDefaults::choosesCollector);
    if (ownHeap) {
      // small to start with, and at most 256 MiB: a parallel collector grows its heap towards the
      // maximum under load and rarely gives it back, and resident memory follows (10,000 idle
      // connections grew a node by 96 MiB with 512, 33 with 256); no more than a quarter of a small
      // machine (the embedded PostgreSQL needs its share)
      long max = Math.max(128 * MIB, Math.min(256 * MIB, physicalBytes / 4));
      add.add("-Xms64m");
      add.add("-Xmx" + max / MIB + "m");
    }
    if (ownHeap && ownCollector && user.stream().noneMatch(JvmDefaults::choosesYoungGeneration)) {
      // a fixed small young generation: the parallel collector's adaptive sizing had grown it (and
      // the heap) to ~200 MiB for ~60 MiB live at 10,000 connections; 32 MiB with the serial
      // collector kept the node 45-50 MiB smaller, idle and at 10k, at the same req/s (64
      // connections 1.02x, 10k 1.01x in A/B runs); only with a heap and collector of ours
      add.add("-Xmn32m");
    }
    if (ownCollector) {
      add.add("-XX:+UseSerialGC"); // a proxy's live set is small: young pauses of a few ms
    }
    return add;
  }

  /**
   * @return the command that runs this node in a JVM with the defaults, or {@code null} when this
   *     one should serve (the user chose every setting in this JVM's flags, or turned the defaults
   *     off, or this is the second JVM already, or the code does not run from a jar)
   */
  static List<String> command(String javaBinary, String jar, List<String> jvmArgs, Map<String, String> env,
      long physicalBytes, String mainClass, String[] args) {
    if (env.containsKey(APPLIED) || "off".equalsIgnoreCase(env.getOrDefault(SWITCH, "")) || jar == null
        || !jar.endsWith(".jar") || javaBinary == null) {
      return null;
    }
    List<String> add = missing(jvmArgs, env, physicalBytes);
    // java itself never reads JAVA_OPTS: when a launch script did not pass them on (as the Docker
    // image's does), only a second JVM applies them, even if they leave no default to add
    if (add.isEmpty() && jvmArgs.containsAll(javaOpts(env))) {
      return null;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary);
    cmd.addAll(jvmArgs);
    cmd.addAll(add);
    cmd.addAll(javaOpts(env));
    cmd.add("-cp");
    cmd.add(jar);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** {@code JAVA_OPTS}, split on whitespace (the convention of launch scripts; no quoting). */
  static List<String> javaOpts(Map<String, String> env) {
    String opts = env.getOrDefault("JAVA_OPTS", "").trim();
    return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
  }

  private static boolean choosesHeap(String a) {
    return a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-XX:MaxHeapSize")
        || a.startsWith("-XX:InitialHeapSize") || a.startsWith("-XX:MaxRAMPercentage")
        || a.startsWith("-XX:MaxRAM=") || a.startsWith("-XX:InitialRAMPercentage");
  }

  private static boolean choosesYoungGeneration(String a) {
    return a.startsWith("-Xmn") || a.startsWith("-XX:NewSize") || a.startsWith("-XX:MaxNewSize")
        || a.startsWith("-XX:NewRatio");
  }

  private static boolean choosesCollector(String a) {
    return a.startsWith("-XX:+Use") && a.endsWith("GC");
  }
}
