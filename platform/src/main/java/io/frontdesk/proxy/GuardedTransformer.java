package io.frontdesk.proxy;

import io.frontdesk.api.filter.BodyTransformer;
import io.frontdesk.pluginhost.BoundFilter;
import io.frontdesk.pluginhost.FilterWatchdog;
import io.vertx.core.buffer.Buffer;

/**
 * A body transformer as the filter that added it: its calls run under that filter's stall guard,
 * so a transformer that holds the event loop is named and trips its binding like the filter itself.
 */
final class GuardedTransformer implements BodyTransformer {

  private final BodyTransformer inner;
  private final BoundFilter owner;

  GuardedTransformer(BodyTransformer inner, BoundFilter owner) {
    this.inner = inner;
    this.owner = owner;
  }

  /** @return {@code t}, guarded by {@code owner} when a filter call is adding it */
  static BodyTransformer of(BodyTransformer t, BoundFilter owner) {
    return owner == null ? t : new GuardedTransformer(t, owner);
  }

  @Override
  public Buffer transform(Buffer chunk) {
    FilterWatchdog.Slot watched = owner.enter();
    try {
      return inner.transform(chunk);
    } finally {
      watched.exit();
    }
  }

  @Override
  public Buffer finish() {
    FilterWatchdog.Slot watched = owner.enter();
    try {
      return inner.finish();
    } finally {
      watched.exit();
    }
  }

  @Override
  public boolean preservesLength() {
    return inner.preservesLength();
  }

  @Override
  public void abort() {
    FilterWatchdog.Slot watched = owner.enter();
    try {
      inner.abort();
    } finally {
      watched.exit();
    }
  }
}
