package io.frontdesk.api.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP header fields of a request or response, with case-insensitive names.
 *
 * <p>A view over the headers the proxy forwards: changes made in the request phase reach the
 * upstream, changes made in the response phase reach the client. Not thread-safe; use it only on
 * the exchange's event loop.
 */
public interface Headers extends Iterable<Map.Entry<String, String>> {

  /** @return the first value of {@code name}, or {@code null} */
  String get(CharSequence name);

  /** @return every value of {@code name} in order; empty when absent */
  List<String> getAll(CharSequence name);

  /** @return whether the header is present */
  boolean contains(CharSequence name);

  /** Replaces every value of {@code name} with {@code value}. */
  Headers set(CharSequence name, CharSequence value);

  /** Adds a value, keeping the existing ones. */
  Headers add(CharSequence name, CharSequence value);

  /** Removes every value of {@code name}. */
  Headers remove(CharSequence name);

  /** @return the distinct header names present */
  Set<String> names();

  /** @return the number of header fields (a name with two values counts twice) */
  int size();
}
