package io.frontdesk.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The routes of one site in match order. The first route whose rules match takes the request.
 *
 * @param <R> the compiled route type
 */
public final class RouteTable<R extends RouteTable.Entry> {

  /** Something routable: exposes its compiled rule. */
  public interface Entry {
    RouteRule rule();
  }

  private final Object[] entries;

  public RouteTable(Collection<R> routes) {
    this.entries = routes.stream()
        .sorted(Comparator.comparing(Entry::rule, RouteRule.ORDER))
        .toArray();
  }

  /** @return the matching route, or {@code null} */
  @SuppressWarnings("unchecked")
  public R match(String method, String path, Function<String, String> headers) {
    for (Object e : entries) {
      R r = (R) e;
      if (r.rule().matches(method, path, headers)) {
        return r;
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return entries.length == 0;
  }

  @SuppressWarnings("unchecked")
  public java.util.List<R> inOrder() {
    return (java.util.List<R>) (java.util.List<?>) Arrays.asList(entries);
  }
}
