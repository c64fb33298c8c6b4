package io.frontdesk.api.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Header fields that can be read but not changed: the client's request as it arrived, or a
 * subrequest's response. Names are case-insensitive. Use only on the exchange's event loop.
 */
public interface HeaderFields extends Iterable<Map.Entry<String, String>> {

  /** @return the first value of {@code name}, or {@code null} */
  String get(CharSequence name);

  /** @return every value of {@code name} in order; empty when absent */
  List<String> getAll(CharSequence name);

  /** @return whether the header is present */
  boolean contains(CharSequence name);

  /** @return the distinct header names present */
  Set<String> names();

  /** @return the number of header fields (a name with two values counts twice) */
  int size();
}
