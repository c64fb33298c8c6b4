package io.frontdesk.pluginhost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugin jars from the plugins folder with PF4J and keeps them in step with the folder while
 * running: a jar dropped in is loaded (within ~1 s), a changed jar is upgraded, a deleted jar is
 * unloaded. Each jar gets its own class loader and its own PF4J manager, so an upgrade loads the
 * new version next to the old one; the old one is unloaded only once no snapshot that uses its
 * filters is left. A jar that cannot be used is listed as FAILED with the reason and never stops
 * anything else.
 *
 * <p>This class wires the parts, each with one job, and runs them all on one thread
 * ("frontdesk-plugins"): {@link PluginFolderWatcher} sees jars come, change and go,
 * {@link JarCache} keeps the copies that are loaded, {@link PluginLoader} loads and checks one jar,
 * {@link PluginLifecycle} keeps what runs, retires what was replaced and publishes the list.
 */
public final class PluginHost implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
  private static final long SCAN_MILLIS = 400;

  private final PluginFolderWatcher folder;
  private final JarCache cache;
  private final PluginLoader loader;
  private final PluginLifecycle plugins;
  private final ScheduledExecutorService thread;

  /**
   * @param onChange called (on the plugin thread) after extensions were added or removed
   * @param oldestLiveGeneration the oldest plugin generation a live snapshot still uses
   */
  public PluginHost(Path pluginsDir, Path dataDir, PluginRegistry registry, Runnable onChange,
      LongSupplier oldestLiveGeneration) {
    this.folder = new PluginFolderWatcher(pluginsDir);
    this.cache = new JarCache(dataDir);
    this.loader = new PluginLoader(cache.dir(), registry);
    this.plugins = new PluginLifecycle(cache, loader, registry, onChange, oldestLiveGeneration);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "frontdesk-plugins");
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads what the folder holds now (blocking), then watches it. */
  public void start() {
    call(() -> {
      Files.createDirectories(folder.dir());
      cache.open();
      sync(true);
      return null;
    }, 300);
    thread.scheduleWithFixedDelay(() -> {
      try {
        sync(false);
        plugins.unloadRetired();
      } catch (IOException | RuntimeException | Error e) {
        log.error("scanning the plugins folder failed", e);
      }
    }, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Makes extensions from the class path available as a plugin (the test kit's way in). */
  public void registerInProcess(String id, String version, PluginRegistry.Extensions ext) {
    call(() -> {
      plugins.addInProcess(id, version, ext);
      plugins.settle();
      return null;
    }, 30);
  }

  /** @return every plugin and unusable jar, by id */
  public List<PluginInfo> list() {
    return plugins.list();
  }

  public Path pluginsDir() {
    return folder.dir();
  }

  /** Looks at the folder now instead of at the next scan; returns once done. */
  public void rescan() {
    call(() -> {
      sync(true);
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
  public PluginInfo install(Path uploaded) {
    String id = validate(uploaded);
    return call(() -> {
      Path current = plugins.sourceOf(id);
      Path target = current != null ? current : folder.dir().resolve(id + ".jar");
      Path tmp = Files.createTempFile(folder.dir(), ".upload-", ".tmp");
      Files.copy(uploaded, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      sync(true);
      return plugins.list().stream().filter(i -> id.equals(i.id())).findFirst()
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
      String id = PluginLoader.readId(jar);
      Path copy = cache.trialCopy(jar);
      try {
        PluginLoader.Result r = loader.load(copy, "trial");
        if (r.plugin() == null) {
          throw new IllegalArgumentException(r.reason());
        }
        r.plugin().unload();
        return id;
      } finally {
        cache.dropTrial(copy);
      }
    }, 120);
  }

  /** Brings the running plugins in step with the folder. */
  private void sync(boolean now) throws IOException {
    folder.look();
    List<Path> gone = folder.takeGone();
    gone.forEach(plugins::jarGone);
    if (!gone.isEmpty()) {
      // A jar refused because another held its plugin id may be usable now: try the refused again.
      plugins.refusedJars().forEach(name -> folder.forget(folder.dir().resolve(name)));
    }
    plugins.forgetRefusedUnless(name -> folder.holds(folder.dir().resolve(name)));
    folder.takeChanged(now, plugins::jarChanged);
    plugins.settle();
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
      thread.submit(plugins::close).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("stopping plugins failed: {}", e.toString());
    }
    thread.shutdownNow();
  }
}
