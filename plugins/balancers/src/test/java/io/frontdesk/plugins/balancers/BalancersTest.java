package io.frontdesk.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.frontdesk.api.lb.WeightedDraw;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BalancersTest {

  static List<UpstreamTarget> targets(int... weights) {
    List<UpstreamTarget> out = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      out.add(new FakeTarget("10.0.0." + (i + 1) + ":80", weights[i]));
    }
    return out;
  }

  /** Runs {@code n} picks where every request completes at once; returns picks per target. */
  static Map<UpstreamTarget, Integer> run(LoadBalancer lb, List<UpstreamTarget> ts, int n) {
    Map<UpstreamTarget, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(lb.select(ts, null), 1, Integer::sum);
    }
    return counts;
  }

  static void assertWeighted(Map<UpstreamTarget, Integer> counts, List<UpstreamTarget> ts, int n) {
    int total = ts.stream().mapToInt(UpstreamTarget::weight).sum();
    for (UpstreamTarget t : ts) {
      double expected = (double) t.weight() / total;
      double actual = counts.getOrDefault(t, 0) / (double) n;
      assertThat(actual).as("share of %s (weight %d)", t.address(), t.weight())
          .isBetween(expected * 0.98, expected * 1.02);
    }
  }

  @Test
  void roundRobinTakesTurns() {
    List<UpstreamTarget> ts = targets(1, 5, 1);
    Map<UpstreamTarget, Integer> c = run(new RoundRobin(), ts, 99_999);
    ts.forEach(t -> assertThat(c.get(t)).isEqualTo(33_333));
  }

  @Test
  void leastConnectionsSharesByWeightWithinTwoPercentOver100kRequests() {
    List<UpstreamTarget> ts = targets(5, 3, 2);
    assertWeighted(run(new LeastConnections(), ts, 100_000), ts, 100_000);
  }

  @Test
  void leastConnectionsPrefersTheLeastLoadedPerWeight() {
    List<UpstreamTarget> ts = targets(1, 1, 2);
    ((FakeTarget) ts.get(0)).outstanding = 4;
    ((FakeTarget) ts.get(1)).outstanding = 1;
    ((FakeTarget) ts.get(2)).outstanding = 3; // 1.5 per weight unit
    assertThat(new LeastConnections().select(ts, null)).isSameAs(ts.get(1));
  }

  @Test
  void powerOfTwoChoicesSharesByWeightWithinTwoPercentOver100kRequests() {
    List<UpstreamTarget> ts = targets(5, 3, 2);
    assertWeighted(run(new PowerOfTwoChoices(), ts, 100_000), ts, 100_000);
  }

  @Test
  void powerOfTwoChoicesAvoidsTheBusyTarget() {
    List<UpstreamTarget> ts = targets(1, 1, 1);
    ((FakeTarget) ts.get(0)).outstanding = 100;
    Map<UpstreamTarget, Integer> c = run(new PowerOfTwoChoices(), ts, 30_000);
    // The busy one only wins when both draws land on it, which they never do (draws are distinct).
    assertThat(c.getOrDefault(ts.get(0), 0)).isZero();
  }

  @Test
  void peakEwmaPrefersFastAndIdleTargets() {
    List<UpstreamTarget> ts = targets(1, 1, 1);
    ((FakeTarget) ts.get(0)).latency = 5_000;
    ((FakeTarget) ts.get(1)).latency = 1_000;
    ((FakeTarget) ts.get(2)).latency = 1_000;
    ((FakeTarget) ts.get(2)).outstanding = 9;
    assertThat(new PeakEwma().select(ts, null)).isSameAs(ts.get(1));
  }

  @Test
  void consistentHashKeepsKeysOnTheirTargetAndRemapsOnlyTheNewShare() {
    List<UpstreamTarget> five = targets(1, 1, 1, 1, 1);
    List<UpstreamTarget> six = new ArrayList<>(five);
    six.add(new FakeTarget("10.0.0.6:80", 1));
    ConsistentHash before = new ConsistentHash(five, "path", null, null, 160);
    ConsistentHash after = new ConsistentHash(six, "path", null, null, 160);
    int keys = 100_000;
    int moved = 0;
    Map<UpstreamTarget, Integer> load = new HashMap<>();
    for (int k = 0; k < keys; k++) {
      String key = "/item/" + k;
      UpstreamTarget a = before.selectByKey(key, five);
      UpstreamTarget b = after.selectByKey(key, six);
      assertThat(before.selectByKey(key, five)).isSameAs(a); // stable
      load.merge(a, 1, Integer::sum);
      if (!a.address().equals(b.address())) {
        moved++;
        assertThat(b.address()).isEqualTo("10.0.0.6:80"); // keys only move to the newcomer
      }
    }
    double share = (double) moved / keys;
    assertThat(share).isLessThanOrEqualTo(1.0 / 6 + 0.05);
    assertThat(share).isGreaterThan(1.0 / 6 - 0.05);
    load.values().forEach(v -> assertThat(v / (double) keys).isBetween(0.15, 0.25));
  }

  @Test
  void consistentHashSkipsUnavailableTargetsWithoutMovingOtherKeys() {
    List<UpstreamTarget> ts = targets(1, 1, 1);
    ConsistentHash ring = new ConsistentHash(ts, "client-ip", null, null, 160);
    List<UpstreamTarget> without0 = List.of(ts.get(1), ts.get(2));
    for (int k = 0; k < 10_000; k++) {
      String key = "k" + k;
      UpstreamTarget all = ring.selectByKey(key, ts);
      UpstreamTarget some = ring.selectByKey(key, without0);
      if (all != ts.get(0)) {
        assertThat(some).isSameAs(all);
      } else {
        assertThat(some).isNotSameAs(ts.get(0));
      }
    }
  }

  @Test
  void consistentHashNeedsItsKeysName() {
    assertThatThrownBy(() -> new ConsistentHash.Factory().create(new JsonObject().put("hashOn", "header"), targets(1)))
        .hasMessageContaining("header: is required");
    io.frontdesk.api.lb.BalancerContext request = new io.frontdesk.api.lb.BalancerContext() {
      @Override public String clientIp() { return "10.0.0.1"; }
      @Override public String method() { return "GET"; }
      @Override public String host() { return "h"; }
      @Override public String path() { return "/"; }
      @Override public String header(CharSequence name) { return "cookie".contentEquals(name) ? "a=1; sid=xyz ; b=2" : null; }
    };
    assertThat(request.cookie("sid")).isEqualTo("xyz");
    assertThat(request.cookie("nope")).isNull();
  }

  @Test
  void peakEwmaOverALargePoolDrawsTwoAndNeverPicksTheSlowestTarget() {
    List<UpstreamTarget> ts = targets(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    ts.forEach(t -> ((FakeTarget) t).latency = 1_000);
    ((FakeTarget) ts.get(7)).latency = 50_000;
    Map<UpstreamTarget, Integer> c = run(new PeakEwma(), ts, 20_000);
    // The slow one only wins when both draws land on it, which they never do (draws are distinct).
    assertThat(c.getOrDefault(ts.get(7), 0)).isZero();
    assertThat(c.keySet()).hasSize(19);
  }

  @Test
  void betterOfTwoKeepsTheFirstDrawnOnATieAndTheOnlyCandidateAsItIs() {
    List<UpstreamTarget> ts = targets(1, 2, 3, 4);
    for (long seed = 0; seed < 200; seed++) {
      int first = WeightedDraw.draw(ts, new SplittableRandom(seed), -1);
      assertThat(WeightedDraw.betterOfTwo(ts, new SplittableRandom(seed), (x, y) -> 0)).isSameAs(ts.get(first));
    }
    List<UpstreamTarget> one = targets(1);
    assertThat(WeightedDraw.betterOfTwo(one, new SplittableRandom(1), (x, y) -> 0)).isSameAs(one.get(0));
  }

  @Test
  void algorithmsWithoutOptionsAcceptOnlyAnEmptyConfigAndMakeAFreshBalancerEachTime() {
    Map<String, LoadBalancerFactory> factories = Map.of(
        "round-robin", new RoundRobin.Factory(),
        "least-connections", new LeastConnections.Factory(),
        "p2c", new PowerOfTwoChoices.Factory(),
        "peak-ewma", new PeakEwma.Factory());
    factories.forEach((name, f) -> {
      assertThat(f.algorithm()).isEqualTo(name);
      assertThat(f.configSchema()).isEqualTo(new JsonObject().put("type", "object").put("additionalProperties", false));
      LoadBalancer a = f.create(new JsonObject(), targets(1, 1));
      assertThat(f.create(new JsonObject(), targets(1, 1))).isNotSameAs(a).hasSameClassAs(a);
    });
  }
}
