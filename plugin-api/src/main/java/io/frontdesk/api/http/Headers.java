package io.frontdesk.api.http;

/**
 * HTTP header fields of a request or response, with case-insensitive names, that a filter may
 * change.
 *
 * <p>A view over the headers the proxy forwards: changes made in the request phase reach the
 * upstream, changes made in the response phase reach the client. Not thread-safe; use it only on
 * the exchange's event loop.
 */
public interface Headers extends HeaderFields {

  /** Replaces every value of {@code name} with {@code value}. */
  Headers set(CharSequence name, CharSequence value);

  /** Adds a value, keeping the existing ones. */
  Headers add(CharSequence name, CharSequence value);

  /** Removes every value of {@code name}. */
  Headers remove(CharSequence name);
}
