package io.frontdesk.pluginhost;

import java.util.Comparator;
import java.util.List;

/**
 * The filters of one route in request order (lowest priority first; ties by plugin id, then
 * binding id, so the order is stable). The response phase walks it backwards.
 */
public final class FilterChain {

  public static final Comparator<BoundFilter> ORDER = Comparator.comparingInt(BoundFilter::priority)
      .thenComparing(BoundFilter::pluginId)
      .thenComparing(BoundFilter::bindingId);

  public static final FilterChain EMPTY = new FilterChain(List.of());

  private final BoundFilter[] filters;

  public FilterChain(List<BoundFilter> filters) {
    this.filters = filters.stream().sorted(ORDER).toArray(BoundFilter[]::new);
  }

  public int size() {
    return filters.length;
  }

  public BoundFilter get(int i) {
    return filters[i];
  }

  public boolean isEmpty() {
    return filters.length == 0;
  }

  public List<BoundFilter> asList() {
    return List.of(filters);
  }
}
