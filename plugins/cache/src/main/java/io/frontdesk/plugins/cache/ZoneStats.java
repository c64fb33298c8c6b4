package io.frontdesk.plugins.cache;

import java.util.concurrent.atomic.LongAdder;

/** A binding's cache counters since the node started. */
final class ZoneStats {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder stores = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder revalidations = new LongAdder();
  private final LongAdder backgroundRevalidations = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder collapsed = new LongAdder();

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void stored() {
    stores.increment();
  }

  void evicted() {
    evictions.increment();
  }

  void revalidated() {
    revalidations.increment();
  }

  void backgroundRevalidation() {
    backgroundRevalidations.increment();
  }

  void servedStale() {
    staleServed.increment();
  }

  void collapsed() {
    collapsed.increment();
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long stores() {
    return stores.sum();
  }

  long evictions() {
    return evictions.sum();
  }

  long revalidations() {
    return revalidations.sum();
  }

  long backgroundRevalidations() {
    return backgroundRevalidations.sum();
  }

  long staleServed() {
    return staleServed.sum();
  }

  long collapsedCount() {
    return collapsed.sum();
  }
}
