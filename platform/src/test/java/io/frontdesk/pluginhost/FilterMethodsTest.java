package io.frontdesk.pluginhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class FilterMethodsTest {

  static class RequestOnly implements Filter {
    @Override
    public Future<FilterResult> onRequest(Exchange exchange) {
      return FilterResult.proceed();
    }
  }

  static class Completes extends RequestOnly {
    @Override
    public void onComplete(Exchange exchange) {
    }
  }

  static final class InheritsCompletion extends Completes {
  }

  @Test
  void phasesLeftToTheDefaultsAreKnownAsSuchAndInheritedOverridesCount() {
    assertThat(FilterMethods.of(new RequestOnly())).isEqualTo(new FilterMethods(false, false));
    assertThat(FilterMethods.of(new Completes())).isEqualTo(new FilterMethods(false, true));
    assertThat(FilterMethods.of(new InheritsCompletion())).isEqualTo(new FilterMethods(false, true));
    assertThat(FilterMethods.of(new Filter() {
      @Override
      public Future<FilterResult> onResponse(Exchange exchange) {
        return FilterResult.proceed();
      }
    })).isEqualTo(new FilterMethods(true, false));
    assertThat(FilterMethods.of(null)).isEqualTo(new FilterMethods(true, true));
  }
}
