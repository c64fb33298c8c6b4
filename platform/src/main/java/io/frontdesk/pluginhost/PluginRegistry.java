package io.frontdesk.pluginhost;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.filter.FilterFactory;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.log.LogSinkFactory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The extensions available now, by plugin id and algorithm name: the built-in ones and those of
 * started plugin jars. The plugin host adds and removes entries as jars come and go; the snapshot
 * compiler and the admin API read it. Thread-safe.
 */
public final class PluginRegistry implements PluginCatalog {

  /** The extensions one plugin offers. */
  public record Extensions(FilterFactory filter, LogSinkFactory logSink, List<LoadBalancerFactory> balancers) {
    public Extensions {
      balancers = List.copyOf(balancers);
    }
  }

  private final Vertx vertx;
  private final Path dataDir;
  private final String nodeId;
  private final Map<String, Extensions> byPlugin = new ConcurrentHashMap<>();
  private final Map<String, LoadBalancerFactory> balancers = new ConcurrentHashMap<>();
  private final Map<String, LoadBalancerFactory> builtInBalancers = new ConcurrentHashMap<>();
  private final Map<String, String> balancerOwner = new ConcurrentHashMap<>();
  private final Map<String, String> unavailable = new ConcurrentHashMap<>();
  private final Map<String, FilterStats> stats = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final FilterWatchdog watchdog;
  private volatile PluginBus bus;

  public PluginRegistry(Vertx vertx, Path dataDir, String nodeId) {
    this(vertx, dataDir, nodeId, 2000);
  }

  /** @param stallMillis a filter call holding its event loop longer than this trips its binding */
  public PluginRegistry(Vertx vertx, Path dataDir, String nodeId, long stallMillis) {
    this.watchdog = new FilterWatchdog(stallMillis, this::stats);
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.nodeId = nodeId;
  }

  /** Lets plugins message their instances on other nodes ({@code PluginContext.messages()}). */
  public void messages(PluginBus bus) {
    this.bus = bus;
  }

  /** Registers a balancer that is part of the platform (always available, never unloaded). */
  public void addBuiltInBalancer(LoadBalancerFactory f) {
    builtInBalancers.put(f.algorithm(), f);
    balancers.put(f.algorithm(), f);
    generation.incrementAndGet();
  }

  /** A plugin started: its extensions become available. */
  public synchronized void add(String pluginId, Extensions ext) {
    byPlugin.put(pluginId, ext);
    unavailable.remove(pluginId);
    for (LoadBalancerFactory b : ext.balancers()) {
      balancers.put(b.algorithm(), b);
      balancerOwner.put(b.algorithm(), pluginId);
    }
    generation.incrementAndGet();
  }

  /** A plugin stopped, failed or was removed. */
  public synchronized void remove(String pluginId, String reason) {
    Extensions ext = byPlugin.remove(pluginId);
    if (reason != null) {
      unavailable.put(pluginId, reason);
    }
    if (ext != null) {
      for (LoadBalancerFactory b : ext.balancers()) {
        balancers.remove(b.algorithm(), b);
        balancerOwner.remove(b.algorithm(), pluginId);
        LoadBalancerFactory builtIn = builtInBalancers.get(b.algorithm());
        if (builtIn != null) {
          balancers.putIfAbsent(b.algorithm(), builtIn);
        }
      }
    }
    generation.incrementAndGet();
  }

  public Extensions extensions(String pluginId) {
    return byPlugin.get(pluginId);
  }

  @Override
  public FilterFactory filterFactory(String pluginId) {
    Extensions e = byPlugin.get(pluginId);
    return e == null ? null : e.filter();
  }

  @Override
  public LogSinkFactory logSinkFactory(String pluginId) {
    Extensions e = byPlugin.get(pluginId);
    return e == null ? null : e.logSink();
  }

  @Override
  public LoadBalancerFactory balancer(String algorithm) {
    return balancers.get(algorithm);
  }

  @Override
  public String balancerPlugin(String algorithm) {
    return balancerOwner.get(algorithm);
  }

  /** @return the plugin ids with extensions available now */
  public java.util.Set<String> pluginIds() {
    return java.util.Set.copyOf(byPlugin.keySet());
  }

  @Override
  public List<String> algorithms() {
    List<String> names = new ArrayList<>(balancers.keySet());
    Collections.sort(names);
    return names;
  }

  @Override
  public String unavailableReason(String pluginId) {
    return unavailable.getOrDefault(pluginId, "no plugin with this id is installed");
  }

  @Override
  public FilterStats stats(String pluginId) {
    return stats.computeIfAbsent(pluginId, k -> new FilterStats());
  }

  /** The stall watchdog of this node's filters (started and closed by the node). */
  public FilterWatchdog watchdog() {
    return watchdog;
  }

  @Override
  public FilterGuard guard(String pluginId, String bindingId, Object filter) {
    return watchdog.guard(pluginId, bindingId, filter);
  }

  @Override
  public FilterGuard existingGuard(String bindingId) {
    return watchdog.existingGuard(bindingId);
  }

  @Override
  public PluginContext context(String pluginId) {
    return context(pluginId, null);
  }

  @Override
  public PluginContext context(String pluginId, String bindingId) {
    return new PluginContext() {
      @Override
      public String bindingId() {
        return bindingId;
      }

      @Override
      public io.frontdesk.api.PluginMessages messages() {
        PluginBus b = bus;
        if (b == null) {
          throw new UnsupportedOperationException("plugin messages are not available on this node");
        }
        return b.of(pluginId);
      }

      @Override
      public String pluginId() {
        return pluginId;
      }

      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public Path dataDirectory() {
        Path p = dataDir.resolve("plugin-data").resolve(pluginId);
        try {
          java.nio.file.Files.createDirectories(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return p;
      }

      @Override
      public String nodeId() {
        return nodeId;
      }
    };
  }

  @Override
  public long generation() {
    return generation.get();
  }
}
