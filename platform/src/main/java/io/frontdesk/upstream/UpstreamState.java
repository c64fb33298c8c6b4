package io.frontdesk.upstream;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one upstream on this node: its targets' states (by address, surviving
 * configuration changes), requests and retries in flight (for the retry budget), and counters.
 */
public final class UpstreamState {

  private final String id;
  private final ConcurrentHashMap<String, TargetState> targets = new ConcurrentHashMap<>();
  private volatile String name;
  private volatile List<TargetState> members = List.of();
  final AtomicInteger requestsInFlight = new AtomicInteger();
  final RetryBudget budget = new RetryBudget();
  final LongAdder failOpen = new LongAdder();
  final LongAdder ejectionsRefused = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder retriesOverBudget = new LongAdder();

  UpstreamState(String id, String name) {
    this.id = id;
    this.name = name;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  void name(String n) {
    name = n;
  }

  /** @return the state of a target, created on first use */
  public TargetState target(String address) {
    return targets.computeIfAbsent(address, a -> new TargetState(this, a));
  }

  /** The targets of the configuration now serving (for the share that may be ejected). */
  void members(List<TargetState> m) {
    members = List.copyOf(m);
    targets.keySet().retainAll(m.stream().map(TargetState::address).toList());
  }

  List<TargetState> members() {
    return members;
  }

  /**
   * Takes a retry from the budget if it allows: over the last ten seconds, retries stay within
   * {@code budgetPercent} of requests plus {@code minPerSecond} per second.
   */
  public boolean tryRetry(int budgetPercent, int minPerSecond) {
    if (!budget.tryRetry(System.currentTimeMillis(), budgetPercent, minPerSecond)) {
      retriesOverBudget.increment();
      return false;
    }
    retries.increment();
    return true;
  }

  public long failOpenCount() {
    return failOpen.sum();
  }

  public long ejectionsRefusedCount() {
    return ejectionsRefused.sum();
  }

  public long retryCount() {
    return retries.sum();
  }

  public long retriesOverBudgetCount() {
    return retriesOverBudget.sum();
  }

  public int requestsInFlight() {
    return requestsInFlight.get();
  }
}
