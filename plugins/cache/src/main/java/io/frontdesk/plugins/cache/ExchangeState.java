package io.frontdesk.plugins.cache;

/** What the request phase found out, for the response phase of the same exchange. */
final class ExchangeState {

  final CacheStatus status;
  /** When the request phase ran: the request_time of a response stored from this exchange (ms). */
  final long requestTime;
  final String key;
  final RequestDirectives directives;
  /** An unsafe method: a successful response invalidates the URI (RFC 9111 4.4). */
  boolean invalidate;
  /** The stored response validated with the origin by this request, or {@code null}. */
  StoredResponse validating;
  /** The stored response this request could fall back on when the origin fails, or {@code null}. */
  StoredResponse fallback;
  /** Whether the response may be stored (a GET the request does not forbid storing for). */
  boolean storeAllowed;
  /** The fill other requests may collapse onto, when this request leads one; else {@code null}. */
  Fill fill;

  ExchangeState(CacheStatus status, long requestTime, String key, RequestDirectives directives) {
    this.status = status;
    this.requestTime = requestTime;
    this.key = key;
    this.directives = directives;
  }
}
