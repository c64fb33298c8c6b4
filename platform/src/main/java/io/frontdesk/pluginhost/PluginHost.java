package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginApi;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.validation.SchemaCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugin jars from the plugins folder with PF4J and keeps them in step with the folder while
 * running: a jar dropped in is loaded (within ~1 s), a changed jar is upgraded, a deleted jar is
 * unloaded. Each jar gets its own class loader and its own PF4J manager, so an upgrade loads the
 * new version next to the old one; the old one is unloaded only once no snapshot that uses its
 * filters is left. A jar that cannot be used is listed as FAILED with the reason and never stops
 * anything else. All work happens on one thread ("frontdesk-plugins").
 */
public final class PluginHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
  private static final long SCAN_MILLIS = 400;

  /** What the API shows about one plugin (or one unusable jar). */
  public record Info(
      String id,
      String version,
      String description,
      String provider,
      String requires,
      String state,
      String source,
      String jar,
      String reason,
      List<String> extensions,
      Integer defaultPriority,
      JsonObject configSchema,
      Instant loadedAt) {

    public JsonObject toJson(FilterStats stats, boolean disabled) {
      JsonObject j = new JsonObject()
          .put("id", id).put("version", version).put("description", description).put("provider", provider)
          .put("requires", requires).put("state", disabled && "STARTED".equals(state) ? "DISABLED" : state)
          .put("enabled", !disabled).put("source", source).put("jar", jar).put("reason", reason)
          .put("extensions", new JsonArray(new ArrayList<>(extensions)))
          .put("defaultPriority", defaultPriority).put("configSchema", configSchema)
          .put("loadedAt", loadedAt == null ? null : loadedAt.toString());
      if (stats != null) {
        long calls = stats.calls();
        j.put("stats", new JsonObject().put("calls", calls).put("errors", stats.errors())
            .put("timeouts", stats.timeouts()).put("stalls", stats.stalls())
            .put("avgMicros", calls == 0 ? 0 : stats.nanos() / calls / 1000));
      }
      return j;
    }
  }

  /** One jar version loaded in its own PF4J manager. */
  private static final class Load {
    final String id;
    final Path source;
    final String sha;
    final Path cached;
    final JarPluginManager manager;
    final Info info;
    final PluginRegistry.Extensions extensions;
    long retiredAtGeneration = -1;

    Load(String id, Path source, String sha, Path cached, JarPluginManager manager, Info info,
        PluginRegistry.Extensions extensions) {
      this.id = id;
      this.source = source;
      this.sha = sha;
      this.cached = cached;
      this.manager = manager;
      this.info = info;
      this.extensions = extensions;
    }
  }

  /** A file seen in the folder: loaded only once its size and time stop changing. */
  private record Seen(long size, long mtime, int stableScans) {
  }

  private final Path pluginsDir;
  private final Path cacheDir;
  private final PluginRegistry registry;
  private final Runnable onChange;
  private final LongSupplier oldestLiveGeneration;
  private final ScheduledExecutorService thread;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final Map<Path, String> loadedSha = new HashMap<>();
  private final Map<String, Load> active = new LinkedHashMap<>();
  private final List<Load> retired = new ArrayList<>();
  private final Map<String, Info> failed = new LinkedHashMap<>(); // by id, or by jar name when unreadable
  private final Map<String, Info> inProcess = new LinkedHashMap<>();
  private volatile List<Info> snapshot = List.of();

  /**
   * @param onChange called (on the plugin thread) after extensions were added or removed
   * @param oldestLiveGeneration the oldest plugin generation a live snapshot still uses
   */
  public PluginHost(Path pluginsDir, Path dataDir, PluginRegistry registry, Runnable onChange,
      LongSupplier oldestLiveGeneration) {
    this.pluginsDir = pluginsDir;
    this.cacheDir = dataDir.resolve("plugin-cache");
    this.registry = registry;
    this.onChange = onChange;
    this.oldestLiveGeneration = oldestLiveGeneration;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "frontdesk-plugins");
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads what the folder holds now (blocking), then watches it. */
  public void start() {
    call(() -> {
      Files.createDirectories(pluginsDir);
      io.frontdesk.db.OwnerOnly.directory(cacheDir);
      cleanCache();
      scan(true);
      return null;
    }, 300);
    thread.scheduleWithFixedDelay(() -> {
      try {
        scan(false);
        unloadRetired();
      } catch (IOException | RuntimeException | Error e) {
        log.error("scanning the plugins folder failed", e);
      }
    }, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Makes extensions from the class path available as a plugin (the test kit's way in). */
  public void registerInProcess(String id, String version, PluginRegistry.Extensions ext) {
    call(() -> {
      Info info = describe(id, version, "in-process plugin", null, "*", "classpath", null, ext);
      inProcess.put(id, info);
      registry.add(id, ext);
      publish();
      onChange.run();
      return null;
    }, 30);
  }

  /** @return every plugin and unusable jar, by id */
  public List<Info> list() {
    return snapshot;
  }

  public Path pluginsDir() {
    return pluginsDir;
  }

  /** Looks at the folder now instead of at the next scan; returns once done. */
  public void rescan() {
    call(() -> {
      scan(true);
      return null;
    }, 120);
  }

  /**
   * Installs an uploaded jar: checks that it loads, then puts it in the plugins folder (replacing
   * the jar of the same plugin id, which upgrades it) and loads it.
   *
   * @return the plugin's entry after loading
   * @throws IllegalArgumentException with the reason when the jar would not load (nothing changes)
   */
  public Info install(Path uploaded) {
    String id = validate(uploaded);
    return call(() -> {
      Load current = active.get(id);
      Path target = current != null ? current.source : pluginsDir.resolve(id + ".jar");
      Path tmp = Files.createTempFile(pluginsDir, ".upload-", ".tmp");
      Files.copy(uploaded, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      scan(true);
      return snapshot.stream().filter(i -> id.equals(i.id())).findFirst()
          .orElseThrow(() -> new IllegalStateException("plugin " + id + " did not appear after installing"));
    }, 120);
  }

  /**
   * Checks that a jar would load, without installing it.
   *
   * @return the plugin id
   * @throws IllegalArgumentException with the reason it would fail
   */
  public String validate(Path jar) {
    return call(() -> {
      String id = readId(jar);
      Path trialDir = Files.createTempDirectory(cacheDir, "trial");
      Path copy = trialDir.resolve("trial.jar");
      Files.copy(jar, copy);
      try {
        LoadResult r = load(copy, "trial");
        if (r.load == null) {
          throw new IllegalArgumentException(r.reason);
        }
        r.load.manager.unloadPlugin(r.load.id);
        return id;
      } finally {
        deleteQuietly(copy);
        deleteQuietly(trialDir);
      }
    }, 120);
  }

  // ---------------------------------------------------------------------------------------------

  private void scan(boolean now) throws IOException {
    Map<Path, Seen> current = new HashMap<>();
    if (Files.isDirectory(pluginsDir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(pluginsDir, "*.jar")) {
        for (Path p : ds) {
          if (!Files.isRegularFile(p)) {
            continue;
          }
          long size = Files.size(p);
          long mtime = Files.getLastModifiedTime(p).toMillis();
          Seen before = seen.get(p);
          int stable = before != null && before.size == size && before.mtime == mtime ? before.stableScans + 1 : 0;
          current.put(p, new Seen(size, mtime, stable));
        }
      }
    }
    boolean changed = false;
    boolean touched = false;
    // Gone: unload.
    boolean removed = false;
    for (Iterator<Map.Entry<Path, String>> it = loadedSha.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, String> e = it.next();
      if (!current.containsKey(e.getKey())) {
        it.remove();
        removed = true;
        changed |= removeJar(e.getKey());
      }
    }
    if (removed) {
      // A jar refused because another held its plugin id may be usable now: try the refused again.
      failed.values().forEach(i -> {
        if (i.jar() != null) {
          loadedSha.remove(pluginsDir.resolve(i.jar()));
        }
      });
    }
    touched |= removed | failed.values().removeIf(i -> i.jar() != null && !current.containsKey(pluginsDir.resolve(i.jar())));
    seen.clear();
    seen.putAll(current);
    // New or changed, once stable (a copy in progress is not read half-written).
    List<Path> paths = new ArrayList<>(current.keySet());
    paths.sort(Comparator.comparing(Path::toString));
    for (Path p : paths) {
      Seen s = current.get(p);
      if (!now && s.stableScans < 1) {
        continue;
      }
      String sha;
      try {
        sha = sha256(p);
      } catch (IOException e) {
        continue; // vanished or unreadable for a moment: next scan
      }
      if (sha.equals(loadedSha.get(p))) {
        continue;
      }
      loadedSha.put(p, sha);
      touched = true;
      changed |= installJar(p, sha);
    }
    if (touched) {
      publish();
    }
    if (changed) {
      onChange.run();
    }
  }

  /** @return whether the set of available extensions changed */
  private boolean installJar(Path jar, String sha) throws IOException {
    Path cached = cacheDir.resolve(stripJar(jar.getFileName().toString()) + "-" + sha.substring(0, 12) + ".jar");
    if (!Files.exists(cached)) {
      Path tmp = Files.createTempFile(cacheDir, "copy", ".tmp");
      Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    LoadResult r = load(cached, "jar");
    String jarName = jar.getFileName().toString();
    if (r.load == null) {
      String key = r.id != null ? r.id : jarName;
      Load running = r.id == null ? null : active.get(r.id);
      String reason = running != null && running.source.equals(jar)
          ? r.reason + " (version " + running.info.version() + " keeps running)"
          : r.reason;
      log.error("plugin jar {} cannot be used: {}", jarName, reason);
      failed.put(key, new Info(r.id, r.version, null, null, r.requires, "FAILED", "jar", jarName, reason, List.of(),
          null, null, Instant.now()));
      deleteQuietly(cached);
      return false;
    }
    Load load = new Load(r.load.id, jar, sha, cached, r.load.manager, withJar(r.load.info, jarName), r.load.extensions);
    Load previous = active.get(load.id);
    if (previous != null && !previous.source.equals(jar)) {
      String reason = "plugin id '" + load.id + "' is already installed from " + previous.source.getFileName()
          + "; remove one of the two jars";
      log.error("plugin jar {} cannot be used: {}", jarName, reason);
      failed.put(jarName, new Info(load.id, load.info.version(), null, null, load.info.requires(), "FAILED", "jar",
          jarName, reason, List.of(), null, null, Instant.now()));
      load.manager.unloadPlugin(load.id);
      deleteQuietly(cached);
      return false;
    }
    failed.remove(load.id);
    failed.remove(jarName);
    active.put(load.id, load);
    registry.add(load.id, load.extensions);
    if (previous != null) {
      retire(previous);
      log.info("plugin {} upgraded from {} to {}", load.id, previous.info.version(), load.info.version());
    } else {
      log.info("plugin {} {} loaded from {}", load.id, load.info.version(), jarName);
    }
    return true;
  }

  private boolean removeJar(Path jar) {
    for (Load l : new ArrayList<>(active.values())) {
      if (l.source.equals(jar)) {
        active.remove(l.id);
        registry.remove(l.id, "its jar " + jar.getFileName() + " was removed from the plugins folder");
        retire(l);
        log.info("plugin {} unloaded: {} was removed", l.id, jar.getFileName());
        return true;
      }
    }
    return false;
  }

  private void retire(Load l) {
    l.retiredAtGeneration = registry.generation();
    retired.add(l);
  }

  /** Unloads replaced or removed jars once no live snapshot can still call into them. */
  private void unloadRetired() {
    if (retired.isEmpty()) {
      return;
    }
    long oldest = oldestLiveGeneration.getAsLong();
    for (Iterator<Load> it = retired.iterator(); it.hasNext(); ) {
      Load l = it.next();
      if (oldest >= l.retiredAtGeneration) {
        it.remove();
        try {
          l.manager.unloadPlugin(l.id); // stops it first; unloadPlugins() avoids pf4j issue 656
        } catch (RuntimeException | LinkageError e) {
          log.warn("unloading plugin {} {} failed", l.id, l.info.version(), e);
        }
        deleteQuietly(l.cached);
      }
    }
  }

  private record LoadResult(Load load, String id, String version, String requires, String reason) {
    static LoadResult failed(String id, String version, String requires, String reason) {
      return new LoadResult(null, id, version, requires, reason);
    }
  }

  /** Loads and starts one jar in a manager of its own; never throws. */
  private LoadResult load(Path jar, String source) {
    JarPluginManager pm = new JarPluginManager(cacheDir);
    pm.setSystemVersion(PluginApi.version());
    String id;
    try {
      id = pm.loadPlugin(jar);
    } catch (RuntimeException | LinkageError e) {
      return LoadResult.failed(null, null, null, "not a usable plugin jar: " + message(e)
          + " (a plugin jar needs Plugin-Id, Plugin-Version and Plugin-Requires in its manifest)");
    }
    PluginWrapper w = pm.getPlugin(id);
    String version = w.getDescriptor().getVersion();
    String requires = w.getDescriptor().getRequires();
    try {
      String api = PluginApi.version();
      if (requires == null || requires.isBlank() || requires.equals("*")) {
        log.warn("plugin {} does not say which plugin API it needs (Plugin-Requires); assuming it works with {}", id, api);
      } else if (!versionMatches(pm, api, requires)) {
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, "built for plugin API " + requires
            + ", but this Frontdesk provides plugin API " + api + "; rebuild the plugin against it");
      }
      PluginState state = pm.startPlugin(id);
      if (state != PluginState.STARTED) {
        Throwable t = w.getFailedException();
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, "could not start (" + state + ")"
            + (t == null ? "" : ": " + message(t)));
      }
      Set<String> classNames = pm.getExtensionClassNames(id);
      if (classNames.isEmpty()) {
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, "declares no extensions: META-INF/extensions.idx is missing "
            + "or empty (build it with pf4j's annotation processor and @Extension classes)");
      }
      ClassLoader cl = pm.getPluginClassLoader(id);
      boolean ownApiCopy = false;
      for (String cn : classNames) {
        try {
          Class<?> c = Class.forName(cn, true, cl);
          ownApiCopy |= bundlesOwnApi(c);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
          pm.unloadPlugin(id);
          return LoadResult.failed(id, version, requires, "extension " + cn + " cannot be loaded: " + message(e));
        }
      }
      List<FilterFactory> filters = pm.getExtensions(FilterFactory.class, id);
      List<LoadBalancerFactory> balancers = pm.getExtensions(LoadBalancerFactory.class, id);
      List<LogSinkFactory> sinks = pm.getExtensions(LogSinkFactory.class, id);
      if (filters.isEmpty() && balancers.isEmpty() && sinks.isEmpty()) {
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, ownApiCopy
            ? "the jar contains its own copy of the Frontdesk plugin API, so its extensions are not Frontdesk's "
                + "types; depend on frontdesk-plugin-api with <scope>provided</scope>"
            : "offers no Frontdesk extension (FilterFactory, LoadBalancerFactory or LogSinkFactory)");
      }
      if (filters.size() > 1 || sinks.size() > 1) {
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, "offers " + filters.size() + " filter factories and "
            + sinks.size() + " log sink factories; a plugin offers at most one of each");
      }
      PluginRegistry.Extensions ext = new PluginRegistry.Extensions(
          filters.isEmpty() ? null : filters.get(0), sinks.isEmpty() ? null : sinks.get(0), balancers);
      String problem = checkExtensions(id, ext);
      if (problem != null) {
        pm.unloadPlugin(id);
        return LoadResult.failed(id, version, requires, problem);
      }
      Info info = describe(id, version, w.getDescriptor().getPluginDescription(), w.getDescriptor().getProvider(),
          requires, source, null, ext);
      return new LoadResult(new Load(id, jar, null, jar, pm, info, ext), id, version, requires, null);
    } catch (RuntimeException | LinkageError e) {
      try {
        pm.unloadPlugin(id);
      } catch (RuntimeException | LinkageError ignored) {
        // already broken
      }
      return LoadResult.failed(id, version, requires, "failed while loading: " + message(e));
    }
  }

  private static boolean versionMatches(JarPluginManager pm, String api, String requires) {
    try {
      return pm.getVersionManager().checkVersionConstraint(api, requires);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True when a class implements a Frontdesk API interface that is not the host's own class. */
  private static boolean bundlesOwnApi(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (i.getName().startsWith("io.frontdesk.api.") && i.getClassLoader() != PluginApi.class.getClassLoader()) {
          return true;
        }
      }
    }
    return false;
  }

  /** @return what is wrong with the extensions, or {@code null} */
  private String checkExtensions(String id, PluginRegistry.Extensions ext) {
    try {
      if (ext.filter() != null) {
        SchemaCheck.of(ext.filter().configSchema());
        ext.filter().defaultPriority();
      }
      if (ext.logSink() != null) {
        SchemaCheck.of(ext.logSink().configSchema());
      }
      for (LoadBalancerFactory b : ext.balancers()) {
        String name = b.algorithm();
        if (name == null || name.isBlank()) {
          return "a balancer has no algorithm name";
        }
        SchemaCheck.of(b.configSchema());
        String owner = registry.balancerPlugin(name);
        if (owner != null && !owner.equals(id)) {
          return "algorithm '" + name + "' is already provided by plugin '" + owner + "'";
        }
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return "its extensions describe themselves wrongly: " + message(e);
    }
  }

  private static Info describe(String id, String version, String description, String provider, String requires,
      String source, String jar, PluginRegistry.Extensions ext) {
    List<String> kinds = new ArrayList<>();
    if (ext.filter() != null) {
      kinds.add("filter");
    }
    if (ext.logSink() != null) {
      kinds.add("logSink");
    }
    for (LoadBalancerFactory b : ext.balancers()) {
      kinds.add("balancer:" + b.algorithm());
    }
    JsonObject schema = ext.filter() != null ? ext.filter().configSchema()
        : ext.logSink() != null ? ext.logSink().configSchema() : null;
    return new Info(id, version, description, provider, requires, "STARTED", source, jar, null, kinds,
        ext.filter() == null ? null : ext.filter().defaultPriority(), schema, Instant.now());
  }

  private static Info withJar(Info i, String jar) {
    return new Info(i.id(), i.version(), i.description(), i.provider(), i.requires(), i.state(), i.source(), jar,
        i.reason(), i.extensions(), i.defaultPriority(), i.configSchema(), i.loadedAt());
  }

  private void publish() {
    Map<String, Info> all = new LinkedHashMap<>();
    inProcess.forEach(all::put);
    active.forEach((id, l) -> all.put(id, l.info));
    failed.forEach((key, info) -> {
      Info running = all.get(key);
      if (running != null) {
        // A failed upgrade: the old version keeps running; say why the new one was refused.
        all.put(key, new Info(running.id(), running.version(), running.description(), running.provider(),
            running.requires(), running.state(), running.source(), running.jar(), "upgrade refused: " + info.reason(),
            running.extensions(), running.defaultPriority(), running.configSchema(), running.loadedAt()));
      } else {
        all.put(key, info);
      }
    });
    List<Info> list = new ArrayList<>(all.values());
    list.sort(Comparator.comparing(i -> i.id() != null ? i.id() : i.jar()));
    snapshot = List.copyOf(list);
  }

  /** Reads Plugin-Id from a jar's manifest. */
  static String readId(Path jar) {
    try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
      Manifest m = j.getManifest();
      String id = m == null ? null : m.getMainAttributes().getValue("Plugin-Id");
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("the jar has no Plugin-Id in its manifest");
      }
      if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        throw new IllegalArgumentException("Plugin-Id '" + id + "' may contain only letters, digits, '.', '_' and '-'");
      }
      return id;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a jar file: " + e.getMessage());
    }
  }

  private void cleanCache() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cacheDir)) {
      for (Path p : ds) {
        deleteQuietly(p);
      }
    }
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String stripJar(String name) {
    return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
  }

  private static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && c.getMessage() == null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover in the cache folder is cleaned at the next start
    }
  }

  private <T> T call(Callable<T> work, long timeoutSeconds) {
    try {
      return thread.submit(work).get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the plugin host is busy", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      thread.submit(() -> {
        for (Load l : active.values()) {
          quietUnload(l);
        }
        for (Load l : retired) {
          quietUnload(l);
        }
        active.clear();
        retired.clear();
      }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("stopping plugins failed: {}", e.toString());
    }
    thread.shutdownNow();
  }

  private static void quietUnload(Load l) {
    try {
      l.manager.unloadPlugin(l.id);
    } catch (RuntimeException | LinkageError e) {
      log.warn("stopping plugin {} failed", l.id, e);
    }
  }
}
