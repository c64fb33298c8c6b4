package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginApi;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.log.LogSinkFactory;
import io.frontdesk.validation.SchemaCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and starts one plugin jar in a PF4J manager of its own, or says in one sentence why it
 * cannot be used: an unreadable manifest, a Plugin-Requires this Frontdesk's plugin API does not
 * satisfy, a plugin that does not start, no or unloadable extensions, a bundled copy of the plugin
 * API, or extensions that describe themselves wrongly.
 */
final class PluginLoader {

  private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

  /** A started plugin, or what could be read of a refused jar and the reason. */
  record Result(LoadedPlugin plugin, String id, String version, String requires, String reason) {
    static Result failed(String id, String version, String requires, String reason) {
      return new Result(null, id, version, requires, reason);
    }
  }

  private final Path pluginsRoot;
  private final PluginRegistry registry;

  /**
   * @param pluginsRoot the folder PF4J managers are given as their plugins root
   * @param registry asked which plugin already offers a balancer algorithm
   */
  PluginLoader(Path pluginsRoot, PluginRegistry registry) {
    this.pluginsRoot = pluginsRoot;
    this.registry = registry;
  }

  /** Loads and starts the jar; never throws. A refused jar is unloaded again. */
  Result load(Path jar, String source) {
    JarPluginManager pm = new JarPluginManager(pluginsRoot);
    pm.setSystemVersion(PluginApi.version());
    String id;
    try {
      id = pm.loadPlugin(jar);
    } catch (RuntimeException | LinkageError e) {
      return Result.failed(null, null, null, "not a usable plugin jar: " + message(e)
          + " (a plugin jar needs Plugin-Id, Plugin-Version and Plugin-Requires in its manifest)");
    }
    PluginWrapper w = pm.getPlugin(id);
    String version = w.getDescriptor().getVersion();
    String requires = w.getDescriptor().getRequires();
    try {
      String problem = start(pm, w, requires);
      if (problem != null) {
        pm.unloadPlugin(id);
        return Result.failed(id, version, requires, problem);
      }
      List<FilterFactory> filters = pm.getExtensions(FilterFactory.class, id);
      List<LoadBalancerFactory> balancers = pm.getExtensions(LoadBalancerFactory.class, id);
      List<LogSinkFactory> sinks = pm.getExtensions(LogSinkFactory.class, id);
      PluginRegistry.Extensions ext = new PluginRegistry.Extensions(filters.isEmpty() ? null : filters.get(0),
          sinks.isEmpty() ? null : sinks.get(0), balancers);
      problem = offerProblem(pm, id, ext, filters.size(), sinks.size());
      if (problem != null) {
        pm.unloadPlugin(id);
        return Result.failed(id, version, requires, problem);
      }
      PluginInfo info = PluginInfo.started(id, version, w.getDescriptor().getPluginDescription(),
          w.getDescriptor().getProvider(), requires, source, ext);
      return new Result(new LoadedPlugin(id, pm, info, ext), id, version, requires, null);
    } catch (RuntimeException | LinkageError e) {
      try {
        pm.unloadPlugin(id);
      } catch (RuntimeException | LinkageError ignored) {
        // already broken
      }
      return Result.failed(id, version, requires, "failed while loading: " + message(e));
    }
  }

  /** Checks the API version, starts the plugin and loads its extension classes. @return the problem, or null */
  private static String start(JarPluginManager pm, PluginWrapper w, String requires) {
    String id = w.getPluginId();
    String api = PluginApi.version();
    if (requires == null || requires.isBlank() || requires.equals("*")) {
      log.warn("plugin {} does not say which plugin API it needs (Plugin-Requires); assuming it works with {}", id, api);
    } else if (!versionMatches(pm, api, requires)) {
      return "built for plugin API " + requires + ", but this Frontdesk provides plugin API " + api
          + "; rebuild the plugin against it";
    }
    PluginState state = pm.startPlugin(id);
    if (state != PluginState.STARTED) {
      Throwable t = w.getFailedException();
      return "could not start (" + state + ")" + (t == null ? "" : ": " + message(t));
    }
    Set<String> classNames = pm.getExtensionClassNames(id);
    if (classNames.isEmpty()) {
      return "declares no extensions: META-INF/extensions.idx is missing "
          + "or empty (build it with pf4j's annotation processor and @Extension classes)";
    }
    ClassLoader cl = pm.getPluginClassLoader(id);
    for (String cn : classNames) {
      try {
        Class.forName(cn, true, cl);
      } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
        return "extension " + cn + " cannot be loaded: " + message(e);
      }
    }
    return null;
  }

  /** @return what is wrong with what the plugin offers, or {@code null} */
  private String offerProblem(JarPluginManager pm, String id, PluginRegistry.Extensions ext, int filters, int sinks) {
    if (ext.filter() == null && ext.logSink() == null && ext.balancers().isEmpty()) {
      return noExtensions(pm, id);
    }
    if (filters > 1 || sinks > 1) {
      return "offers " + filters + " filter factories and " + sinks
          + " log sink factories; a plugin offers at most one of each";
    }
    return checkExtensions(id, ext);
  }

  /** Why a started plugin whose extension classes all load offers no Frontdesk extension. */
  private static String noExtensions(JarPluginManager pm, String id) {
    ClassLoader cl = pm.getPluginClassLoader(id);
    for (String cn : pm.getExtensionClassNames(id)) {
      try {
        if (bundlesOwnApi(Class.forName(cn, false, cl))) {
          return "the jar contains its own copy of the Frontdesk plugin API, so its extensions are not Frontdesk's "
              + "types; depend on frontdesk-plugin-api with <scope>provided</scope>";
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // loaded fine a moment ago
      }
    }
    return "offers no Frontdesk extension (FilterFactory, LoadBalancerFactory or LogSinkFactory)";
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

  /**
   * Reads Plugin-Id from a jar's manifest.
   *
   * @throws IllegalArgumentException when there is none or it is not a usable id
   */
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

  private static String message(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c && c.getMessage() == null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
