package io.frontdesk.admin;

import io.frontdesk.routing.ConfigSnapshot;
import io.frontdesk.upstream.CompiledTarget;
import io.frontdesk.upstream.CompiledUpstream;
import io.frontdesk.validation.NotFoundException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Comparator;
import java.util.function.Supplier;

/** The live state of upstreams and their targets as this node sees it. */
final class HealthApi {

  private final Supplier<ConfigSnapshot> snapshot;
  private final String nodeId;

  HealthApi(Supplier<ConfigSnapshot> snapshot, String nodeId) {
    this.snapshot = snapshot;
    this.nodeId = nodeId;
  }

  void mount(Router api) {
    QueryParams.only(api.get("/health/upstreams")).handler(ctx -> {
      JsonArray items = new JsonArray();
      snapshot.get().upstreams().values().stream().sorted(Comparator.comparing(u -> u.config().name()))
          .forEach(u -> items.add(describe(u)));
      ctx.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("node", nodeId).put("items", items).encode());
    });
    QueryParams.only(api.get("/upstreams/:ref/health")).handler(ctx -> {
      String ref = ctx.pathParam("ref");
      CompiledUpstream u = snapshot.get().upstreams().values().stream()
          .filter(x -> x.config().id().equals(ref) || x.config().name().equals(ref)).findFirst()
          .orElseThrow(() -> new NotFoundException("upstream '" + ref + "' does not exist"));
      ctx.response().putHeader("content-type", "application/json").end(describe(u).put("node", nodeId).encode());
    });
  }

  static JsonObject describe(CompiledUpstream u) {
    long now = System.nanoTime();
    JsonArray targets = new JsonArray();
    int healthy = 0;
    for (CompiledTarget t : u.targets()) {
      boolean available = t.available(now);
      healthy += available ? 1 : 0;
      targets.add(new JsonObject().put("address", t.address()).mergeIn(t.status(now).toJson())
          .put("weight", t.weight())
          .put("effectiveWeight", t.effectiveWeight() / 100.0).put("available", available)
          .mergeIn(t.state().toJson(now)));
    }
    return new JsonObject()
        .put("id", u.config().id()).put("name", u.config().name()).put("algorithm", u.config().algorithm())
        .put("activeChecks", u.config().activeHealth() != null)
        .put("healthyTargets", healthy).put("targetCount", u.targets().size())
        .put("requestsInFlight", u.state().requestsInFlight())
        .put("retries", u.state().retryCount()).put("retriesOverBudget", u.state().retriesOverBudgetCount())
        .put("failOpen", u.state().failOpenCount()).put("ejectionsRefused", u.state().ejectionsRefusedCount())
        .put("targets", targets);
  }
}
