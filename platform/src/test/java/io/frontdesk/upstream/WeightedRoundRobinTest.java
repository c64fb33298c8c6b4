package io.frontdesk.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.config.Target;
import io.frontdesk.config.Upstream;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinTest {

  static List<UpstreamTarget> targets(int... weights) {
    List<Target> ts = new java.util.ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      ts.add(new Target("10.0.0." + (i + 1), 80, weights[i], 0));
    }
    Upstream u = Upstream.fromJson("u", "u", new JsonObject().put("targets", new io.vertx.core.json.JsonArray(
        ts.stream().map(Target::toJson).toList())));
    UpstreamState state = new UpstreamStates().get("u", "u");
    return ts.stream().map(t -> (UpstreamTarget) new CompiledTarget(t, u, state.target(t.address()))).toList();
  }

  @Test
  void sharesByWeightOver100kRequests() {
    List<UpstreamTarget> ts = targets(5, 3, 2);
    WeightedRoundRobin lb = new WeightedRoundRobin();
    Map<String, Integer> c = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      c.merge(lb.select(ts, null).address(), 1, Integer::sum);
    }
    assertThat(c.get("10.0.0.1:80")).isBetween(49_000, 51_000);
    assertThat(c.get("10.0.0.2:80")).isBetween(29_400, 30_600);
    assertThat(c.get("10.0.0.3:80")).isBetween(19_600, 20_400);
  }

  @Test
  void spreadsAHeavyTargetInsteadOfBursting() {
    List<UpstreamTarget> ts = targets(5, 1, 1);
    WeightedRoundRobin lb = new WeightedRoundRobin();
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      order.append((char) ('a' + ts.indexOf(lb.select(ts, null))));
    }
    assertThat(order.toString()).isEqualTo("aabacaa");
  }
}
