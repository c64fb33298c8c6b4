package io.frontdesk.pluginhost;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;

/**
 * Which phases a filter class really implements: a phase it leaves to {@link Filter}'s no-op
 * default need not be called (nor watched), which keeps a chain of simple filters cheap.
 */
public record FilterMethods(boolean onResponse, boolean onComplete) {

  private static final FilterMethods ALL = new FilterMethods(true, true);

  private static final ClassValue<FilterMethods> BY_CLASS = new ClassValue<>() {
    @Override
    protected FilterMethods computeValue(Class<?> type) {
      return new FilterMethods(overrides(type, "onResponse"), overrides(type, "onComplete"));
    }
  };

  /** @return the phases {@code filter}'s class implements (all of them when it cannot tell) */
  public static FilterMethods of(Filter filter) {
    return filter == null ? ALL : BY_CLASS.get(filter.getClass());
  }

  private static boolean overrides(Class<?> type, String method) {
    try {
      return type.getMethod(method, Exchange.class).getDeclaringClass() != Filter.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true;
    }
  }
}
