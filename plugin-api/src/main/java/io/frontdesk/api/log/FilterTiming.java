package io.frontdesk.api.log;

/**
 * Time one filter spent on one exchange.
 *
 * @param plugin the plugin id
 * @param requestMicros time in the request phase, µs
 * @param responseMicros time in the response phase (headers and body transforms), µs
 * @param outcome what it decided: {@code continue}, {@code respond 403}, {@code error}, {@code skipped}
 */
public record FilterTiming(String plugin, long requestMicros, long responseMicros, String outcome) {
}
