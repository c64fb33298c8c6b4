package io.frontdesk.plugins.ratelimit;

/**
 * At most {@code max} requests in flight per key, like nginx's {@code limit_conn}.
 *
 * @param name the policy's name in headers and logs
 * @param key what it counts by (usually the client address or the consumer)
 * @param max requests in flight allowed per key
 * @param status what a request beyond them is answered (429 or 503)
 */
record ConcurrencyLimit(String name, KeySpec key, int max, int status) {
}
