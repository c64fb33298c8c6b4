package io.frontdesk.metrics;

import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics ({@code /metrics} on the admin server), all named {@code frontdesk_…}:
 * requests by site, route and status, latency histograms, upstream target health, plugin calls
 * and errors, the access-log queue, spool and drops, JVM and event-loop figures.
 */
public final class Metrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Map<String, RouteMeters>> routes = new ConcurrentHashMap<>();
  private final Set<Meter.Id> upstreamMeters = ConcurrentHashMap.newKeySet();
  private final Set<String> dynamic = ConcurrentHashMap.newKeySet();

  /** The meters of one site/route pair. */
  private final class RouteMeters {
    final String site;
    final String route;
    final Counter[] byStatus = new Counter[600];
    final Timer latency;

    RouteMeters(String site, String route) {
      this.site = site;
      this.route = route;
      this.latency = Timer.builder("frontdesk.request.duration").description("Time from request head to last byte")
          .tags("site", site, "route", route).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    Counter status(int s) {
      int i = s >= 100 && s < 600 ? s : 0;
      Counter c = byStatus[i];
      if (c == null) {
        c = Counter.builder("frontdesk.requests").description("Requests answered")
            .tags("site", site, "route", route, "status", Integer.toString(s)).register(registry);
        byStatus[i] = c;
      }
      return c;
    }
  }

  private volatile java.util.function.Supplier<String> extra;

  public Metrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** From an event loop, for every finished exchange. */
  public void record(io.frontdesk.proxy.ExchangeView x) {
    io.frontdesk.routing.CompiledRoute r = x.route();
    String site = r == null ? "-" : r.site().site().name();
    String route = r == null ? "-" : r.route().name();
    Map<String, RouteMeters> bySite = routes.get(site);
    if (bySite == null) {
      bySite = routes.computeIfAbsent(site, k -> new ConcurrentHashMap<>());
    }
    RouteMeters m = bySite.get(route);
    if (m == null) {
      m = bySite.computeIfAbsent(route, k -> new RouteMeters(site, route));
    }
    m.status(x.status()).increment();
    m.latency.record(x.durationNanos(), TimeUnit.NANOSECONDS);
  }

  /** A gauge read at scrape time. */
  public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
    Gauge.builder(name, obj, f).description(description).strongReference(true).register(registry);
  }

  /** A monotonic counter read at scrape time. */
  public <T> void counter(String name, String description, T obj, ToDoubleFunction<T> f) {
    FunctionCounter.builder(name, obj, f).description(description).register(registry);
  }

  /** A counter or gauge with tags, registered once per distinct name and tags. */
  public <T> void tagged(boolean counter, String name, String description, T obj, ToDoubleFunction<T> f,
      String... tags) {
    String key = name + "|" + String.join("|", tags);
    if (!dynamic.add(key)) {
      return;
    }
    if (counter) {
      FunctionCounter.builder(name, obj, f).description(description).tags(tags).register(registry);
    } else {
      Gauge.builder(name, obj, f).description(description).tags(tags).strongReference(true).register(registry);
    }
  }

  /** Tracks each event loop's queued tasks and how late a task scheduled on it runs. */
  public void eventLoops(Iterable<EventExecutor> loops) {
    int i = 0;
    for (EventExecutor e : loops) {
      String name = "loop-" + i++;
      AtomicLong lagNanos = new AtomicLong();
      e.scheduleAtFixedRate(new Runnable() {
        long expected = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);

        @Override
        public void run() {
          long now = System.nanoTime();
          lagNanos.set(Math.max(0, now - expected));
          expected = now + TimeUnit.MILLISECONDS.toNanos(500);
        }
      }, 500, 500, TimeUnit.MILLISECONDS);
      Gauge.builder("frontdesk.event.loop.lag", lagNanos, v -> v.get() / 1e9).baseUnit("seconds")
          .description("How late a task scheduled on the loop ran").tags("loop", name).register(registry);
      if (e instanceof SingleThreadEventExecutor s) {
        Gauge.builder("frontdesk.event.loop.pending.tasks", s, SingleThreadEventExecutor::pendingTasks)
            .description("Tasks waiting on the loop").tags("loop", name).register(registry);
      }
    }
  }

  /** Follows the upstream targets of a new configuration (their health and load gauges). */
  public synchronized void upstreams(ConfigSnapshot snapshot) {
    // Gauges hold the compiled targets of one snapshot: replace them all.
    upstreamMeters.forEach(registry::remove);
    upstreamMeters.clear();
    Set<Meter.Id> current = new HashSet<>();
    List<Meter> created = new ArrayList<>();
    for (CompiledUpstream u : snapshot.upstreams().values()) {
      for (CompiledTarget t : u.targets()) {
        String[] tags = {"upstream", u.config().name(), "target", t.address()};
        created.add(Gauge.builder("frontdesk.upstream.target.available", t, x -> x.available(System.nanoTime()) ? 1 : 0)
            .description("1 when the target may take traffic (healthy, not ejected, circuit closed)")
            .tags(tags).strongReference(true).register(registry));
        created.add(Gauge.builder("frontdesk.upstream.target.outstanding", t, CompiledTarget::outstanding)
            .description("Requests in flight to the target from this node").tags(tags).strongReference(true)
            .register(registry));
        created.add(FunctionCounter.builder("frontdesk.upstream.target.failures", t, x -> x.state().failures())
            .description("5xx answers and gateway failures of the target").tags(tags).register(registry));
      }
      created.add(FunctionCounter.builder("frontdesk.upstream.retries", u, x -> x.state().retryCount())
          .description("Retries sent to another target").tags("upstream", u.config().name()).register(registry));
      created.add(FunctionCounter.builder("frontdesk.upstream.fail.open", u, x -> x.state().failOpenCount())
          .description("Requests sent to unhealthy targets because no target was healthy")
          .tags("upstream", u.config().name()).register(registry));
    }
    created.forEach(m -> current.add(m.getId()));
    upstreamMeters.addAll(current);
  }

  /** Adds text to every scrape (the metrics plugins offer), asked at scrape time. */
  public void extra(java.util.function.Supplier<String> more) {
    this.extra = more;
  }

  /** @return the Prometheus text exposition */
  public String scrape() {
    java.util.function.Supplier<String> more = extra;
    return more == null ? registry.scrape() : registry.scrape() + more.get();
  }
}
