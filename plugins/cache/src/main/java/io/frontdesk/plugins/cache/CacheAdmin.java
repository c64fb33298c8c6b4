package io.frontdesk.plugins.cache;

import io.frontdesk.api.PluginMessages;
import io.frontdesk.api.admin.AdminRequest;
import io.frontdesk.api.admin.AdminResponse;
import io.frontdesk.api.admin.MetricSample;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's admin endpoints and metrics: {@code POST purge} (applied here at once, and sent to
 * every node over the plugin's messages), {@code GET stats}, and the per-binding counters in
 * {@code /metrics}.
 */
final class CacheAdmin {

  static final String TOPIC = "purge";
  private static final Logger log = LoggerFactory.getLogger(CacheAdmin.class);

  private final Zones zones;

  CacheAdmin(Zones zones) {
    this.zones = zones;
  }

  Future<AdminResponse> handle(AdminRequest r) {
    if (r.path().equals("purge")) {
      return r.method().equals("POST") ? purge(r) : Future.succeededFuture(AdminResponse.notFound("POST purge"));
    }
    if (r.path().equals("stats") && r.method().equals("GET")) {
      return Future.succeededFuture(AdminResponse.ok(new JsonObject().put("bindings", stats())));
    }
    return Future.succeededFuture(AdminResponse.notFound("the cache answers POST purge and GET stats"));
  }

  private Future<AdminResponse> purge(AdminRequest r) {
    Purge p;
    try {
      p = Purge.parse(r.body());
    } catch (Purge.Invalid e) {
      return Future.succeededFuture(AdminResponse.invalid(e.field, e.getMessage()));
    }
    int here = p.apply(zones.all());
    log.info("cache: {} purged {} ({} here)", r.actor(), p.toJson().encode(), here);
    JsonObject answer = new JsonObject().put("purged", here);
    PluginMessages messages = zones.messages();
    if (messages == null) {
      return Future.succeededFuture(AdminResponse.ok(answer.put("published", false)
          .put("message", "purged on this node only: no bindings here to reach the others through")));
    }
    return messages.publish(TOPIC, p.toJson().encode())
        .map(v -> AdminResponse.ok(answer.put("published", true)))
        .recover(e -> Future.succeededFuture(AdminResponse.ok(answer.put("published", false)
            .put("message", "purged on this node only: " + e.getMessage()))));
  }

  /** A purge another node (or this one) sent. */
  void received(String message) {
    try {
      Purge.fromJson(new JsonObject(message)).apply(zones.all());
    } catch (RuntimeException e) {
      log.warn("cache: a purge message could not be applied: {}", e.toString());
    }
  }

  private JsonArray stats() {
    JsonArray out = new JsonArray();
    for (Map.Entry<String, Zone> z : new TreeMap<>(zones.all()).entrySet()) {
      Zone zone = z.getValue();
      ZoneStats s = zone.stats();
      long[] mem = zone.memoryUse();
      DiskTier d = zone.disk();
      long[] disk = d == null ? new long[] {0, 0} : d.use();
      long lookups = s.hits() + s.misses();
      out.add(new JsonObject().put("binding", z.getKey()).put("hits", s.hits()).put("misses", s.misses())
          .put("hitRatio", lookups == 0 ? 0.0 : (double) s.hits() / lookups).put("stores", s.stores())
          .put("collapsed", s.collapsedCount()).put("revalidations", s.revalidations())
          .put("backgroundRevalidations", s.backgroundRevalidations()).put("staleServed", s.staleServed())
          .put("memory", new JsonObject().put("entries", mem[0]).put("bytes", mem[1]).put("evictions", s.evictions()))
          .put("disk", new JsonObject().put("enabled", d != null).put("entries", disk[0]).put("bytes", disk[1])
              .put("evictions", d == null ? 0 : d.evictions())));
    }
    return out;
  }

  List<MetricSample> samples() {
    List<MetricSample> out = new ArrayList<>();
    for (Map.Entry<String, Zone> z : new TreeMap<>(zones.all()).entrySet()) {
      Map<String, String> b = Map.of("binding", z.getKey());
      Zone zone = z.getValue();
      ZoneStats s = zone.stats();
      counter(out, "cache_hits_total", "Requests answered from the cache", b, s.hits());
      counter(out, "cache_misses_total", "GET and HEAD requests sent to the origin (misses, validations)", b,
          s.misses());
      counter(out, "cache_stores_total", "Responses stored", b, s.stores());
      counter(out, "cache_collapsed_total", "Requests answered from another request's fetch", b, s.collapsedCount());
      counter(out, "cache_revalidations_total", "Stored responses a 304 freshened", b, s.revalidations());
      counter(out, "cache_background_revalidations_total", "Background revalidations (stale-while-revalidate)", b,
          s.backgroundRevalidations());
      counter(out, "cache_stale_served_total", "Stale responses served for an origin error", b, s.staleServed());
      long[] mem = zone.memoryUse();
      DiskTier d = zone.disk();
      long[] disk = d == null ? new long[] {0, 0} : d.use();
      out.add(new MetricSample("cache_evictions_total", "Entries evicted for room", true, tier(b, "memory"),
          s.evictions()));
      out.add(new MetricSample("cache_evictions_total", "Entries evicted for room", true, tier(b, "disk"),
          d == null ? 0 : d.evictions()));
      out.add(new MetricSample("cache_entries", "Stored entries (URLs in memory, responses on disk)", false,
          tier(b, "memory"), mem[0]));
      out.add(new MetricSample("cache_entries", "Stored entries (URLs in memory, responses on disk)", false,
          tier(b, "disk"), disk[0]));
      out.add(new MetricSample("cache_bytes", "Bytes the tier holds", false, tier(b, "memory"), mem[1]));
      out.add(new MetricSample("cache_bytes", "Bytes the tier holds", false, tier(b, "disk"), disk[1]));
    }
    return out;
  }

  private static void counter(List<MetricSample> out, String name, String help, Map<String, String> labels, long v) {
    out.add(new MetricSample(name, help, true, labels, v));
  }

  private static Map<String, String> tier(Map<String, String> b, String tier) {
    return Map.of("binding", b.get("binding"), "tier", tier);
  }
}
