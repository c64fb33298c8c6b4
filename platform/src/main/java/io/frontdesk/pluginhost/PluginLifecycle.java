package io.frontdesk.pluginhost;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which plugin versions are running, which were replaced or removed but may still be called, and
 * which jars were refused and why. A replaced or removed version is unloaded only once no live
 * snapshot uses it. Changes collect until {@link #settle}, which publishes the list the API shows
 * and tells the owner when extensions came or went. Not thread-safe: used on the plugin thread
 * only; {@link #list} may be read from anywhere.
 */
final class PluginLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PluginLifecycle.class);

  /** A plugin loaded from a jar in the plugins folder, running from its cached copy. */
  private record Installed(LoadedPlugin plugin, Path source, Path cached) {
    String id() {
      return plugin.id();
    }

    String version() {
      return plugin.info().version();
    }
  }

  /** A replaced or removed plugin and the registry generation it left at. */
  private record Retired(Installed installed, long generation) {
  }

  private final JarCache cache;
  private final PluginLoader loader;
  private final PluginRegistry registry;
  private final Runnable onChange;
  private final LongSupplier oldestLiveGeneration;
  private final Map<String, Installed> active = new LinkedHashMap<>();
  private final List<Retired> retired = new ArrayList<>();
  private final Map<String, PluginInfo> failed = new LinkedHashMap<>(); // by id, or by jar name when unreadable
  private final Map<String, PluginInfo> inProcess = new LinkedHashMap<>();
  private boolean listChanged;
  private boolean extensionsChanged;
  private volatile List<PluginInfo> published = List.of();

  /**
   * @param onChange called by {@link #settle} after extensions were added or removed
   * @param oldestLiveGeneration the oldest plugin generation a live snapshot still uses
   */
  PluginLifecycle(JarCache cache, PluginLoader loader, PluginRegistry registry, Runnable onChange,
      LongSupplier oldestLiveGeneration) {
    this.cache = cache;
    this.loader = loader;
    this.registry = registry;
    this.onChange = onChange;
    this.oldestLiveGeneration = oldestLiveGeneration;
  }

  /** @return every plugin and unusable jar, by id, as of the last {@link #settle} */
  List<PluginInfo> list() {
    return published;
  }

  /** @return the folder jar the plugin runs from, or {@code null} when it does not run from one */
  Path sourceOf(String id) {
    Installed i = active.get(id);
    return i == null ? null : i.source();
  }

  void addInProcess(String id, String version, PluginRegistry.Extensions ext) {
    inProcess.put(id, PluginInfo.started(id, version, "in-process plugin", null, "*", "classpath", ext));
    registry.add(id, ext);
    listChanged = extensionsChanged = true;
  }

  /** Loads a new or changed jar of the plugins folder; a refused jar is listed as FAILED with the reason. */
  void jarChanged(Path jar, String sha) throws IOException {
    listChanged = true;
    Path cached = cache.copyOf(jar, sha);
    PluginLoader.Result r = loader.load(cached, "jar");
    String jarName = jar.getFileName().toString();
    if (r.plugin() == null) {
      Installed running = r.id() == null ? null : active.get(r.id());
      String reason = running != null && running.source().equals(jar)
          ? r.reason() + " (version " + running.version() + " keeps running)"
          : r.reason();
      refuse(r.id() != null ? r.id() : jarName, PluginInfo.failed(r.id(), r.version(), r.requires(), jarName, reason));
      JarCache.delete(cached);
      return;
    }
    LoadedPlugin loaded = r.plugin();
    Installed next = new Installed(new LoadedPlugin(loaded.id(), loaded.manager(), loaded.info().withJar(jarName),
        loaded.extensions()), jar, cached);
    Installed previous = active.get(next.id());
    if (previous != null && !previous.source().equals(jar)) {
      refuse(jarName, PluginInfo.failed(next.id(), next.version(), loaded.info().requires(), jarName,
          "plugin id '" + next.id() + "' is already installed from " + previous.source().getFileName()
              + "; remove one of the two jars"));
      loaded.unload();
      JarCache.delete(cached);
      return;
    }
    failed.remove(next.id());
    failed.remove(jarName);
    active.put(next.id(), next);
    registry.add(next.id(), next.plugin().extensions());
    extensionsChanged = true;
    if (previous != null) {
      retire(previous);
      log.info("plugin {} upgraded from {} to {}", next.id(), previous.version(), next.version());
    } else {
      log.info("plugin {} {} loaded from {}", next.id(), next.version(), jarName);
    }
  }

  private void refuse(String key, PluginInfo info) {
    log.error("plugin jar {} cannot be used: {}", info.jar(), info.reason());
    failed.put(key, info);
  }

  /** Takes away the plugin that ran from a jar removed from the plugins folder. */
  void jarGone(Path jar) {
    listChanged = true;
    for (Installed i : active.values()) {
      if (i.source().equals(jar)) {
        active.remove(i.id());
        registry.remove(i.id(), "its jar " + jar.getFileName() + " was removed from the plugins folder");
        retire(i);
        extensionsChanged = true;
        log.info("plugin {} unloaded: {} was removed", i.id(), jar.getFileName());
        return;
      }
    }
  }

  /** @return the names of the refused jars */
  List<String> refusedJars() {
    return failed.values().stream().map(PluginInfo::jar).filter(j -> j != null).toList();
  }

  /** Forgets the refusals of jars that are no longer in the folder. */
  void forgetRefusedUnless(Predicate<String> jarStillThere) {
    listChanged |= failed.values().removeIf(i -> i.jar() != null && !jarStillThere.test(i.jar()));
  }

  private void retire(Installed i) {
    retired.add(new Retired(i, registry.generation()));
  }

  /** Unloads replaced or removed jars once no live snapshot can still call into them. */
  void unloadRetired() {
    if (retired.isEmpty()) {
      return;
    }
    long oldest = oldestLiveGeneration.getAsLong();
    for (Iterator<Retired> it = retired.iterator(); it.hasNext(); ) {
      Retired r = it.next();
      if (oldest >= r.generation()) {
        it.remove();
        try {
          r.installed().plugin().unload();
        } catch (RuntimeException | LinkageError e) {
          log.warn("unloading plugin {} {} failed", r.installed().id(), r.installed().version(), e);
        }
        JarCache.delete(r.installed().cached());
      }
    }
  }

  /** Publishes the list if it changed, then runs onChange if extensions came or went. */
  void settle() {
    if (listChanged) {
      listChanged = false;
      publish();
    }
    if (extensionsChanged) {
      extensionsChanged = false;
      onChange.run();
    }
  }

  private void publish() {
    Map<String, PluginInfo> all = new LinkedHashMap<>();
    inProcess.forEach(all::put);
    active.forEach((id, i) -> all.put(id, i.plugin().info()));
    failed.forEach((key, info) -> {
      PluginInfo running = all.get(key);
      // A failed upgrade: the old version keeps running; say why the new one was refused.
      all.put(key, running != null ? running.withReason("upgrade refused: " + info.reason()) : info);
    });
    List<PluginInfo> list = new ArrayList<>(all.values());
    list.sort(Comparator.comparing(i -> i.id() != null ? i.id() : i.jar()));
    published = List.copyOf(list);
  }

  /** Stops every plugin, running or retired. */
  void close() {
    for (Installed i : active.values()) {
      quietUnload(i.plugin());
    }
    for (Retired r : retired) {
      quietUnload(r.installed().plugin());
    }
    active.clear();
    retired.clear();
  }

  private static void quietUnload(LoadedPlugin p) {
    try {
      p.unload();
    } catch (RuntimeException | LinkageError e) {
      log.warn("stopping plugin {} failed", p.id(), e);
    }
  }
}
