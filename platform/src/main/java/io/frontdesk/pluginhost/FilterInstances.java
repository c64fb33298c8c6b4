package io.frontdesk.pluginhost;

import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares filter instances between snapshots: a binding whose configuration and plugin did not
 * change keeps its filter (and the filter's state, e.g. counters or a cache) across config changes.
 * A filter is closed when the last snapshot using it has drained.
 */
public final class FilterInstances {

  private static final Logger log = LoggerFactory.getLogger(FilterInstances.class);

  /** Identity of a filter: same binding, same configuration text, same factory object (= same jar load). */
  public record Key(String bindingId, String config, FilterFactory factory) {
  }

  private static final class Entry {
    final Filter filter;
    final String pluginId;
    int refs;

    Entry(Filter filter, String pluginId) {
      this.filter = filter;
      this.pluginId = pluginId;
    }
  }

  private final Map<Key, Entry> live = new HashMap<>();

  /** @return the shared filter for {@code key}, made by {@code create} the first time */
  public synchronized Filter acquire(Key key, String pluginId, Supplier<Filter> create) {
    Entry e = live.get(key);
    if (e == null) {
      e = new Entry(create.get(), pluginId);
      live.put(key, e);
    }
    e.refs++;
    return e.filter;
  }

  public synchronized void release(Key key) {
    Entry e = live.get(key);
    if (e == null) {
      return;
    }
    if (--e.refs == 0) {
      live.remove(key);
      close(e);
    }
  }

  /** @return how many distinct filter instances are alive */
  public synchronized int size() {
    return live.size();
  }

  private static void close(Entry e) {
    try {
      e.filter.close();
    } catch (RuntimeException | LinkageError ex) {
      log.warn("closing a filter of plugin '{}' failed", e.pluginId, ex);
    }
  }
}
