package io.frontdesk.api.filter;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * What a filter phase decided, in two words: {@link #proceed()} (the chain goes on) or
 * {@link #respond} (stop and answer with a local response). Both are futures, so a filter that
 * waits on something composes them: {@code lookup(ex).compose(ok -> ok ? FilterResult.proceed()
 * : FilterResult.respond(LocalResponse.of(403, "not on the list")))}.
 */
public final class FilterResult {

  private static final FilterResult PROCEED = new FilterResult(null);
  private static final Future<FilterResult> PROCEED_FUTURE = Future.succeededFuture(PROCEED);

  private final LocalResponse response;

  private FilterResult(LocalResponse response) {
    this.response = response;
  }

  /** @return a completed future that continues the chain (shared, allocation-free) */
  public static Future<FilterResult> proceed() {
    return PROCEED_FUTURE;
  }

  /** @return a completed future that stops the chain and answers with {@code response} */
  public static Future<FilterResult> respond(LocalResponse response) {
    return Future.succeededFuture(new FilterResult(Objects.requireNonNull(response, "response")));
  }

  /** @return the local response, or {@code null} when the chain continues */
  public LocalResponse response() {
    return response;
  }

  /** @return whether the chain continues */
  public boolean proceeds() {
    return response == null;
  }
}
