package io.frontdesk.api.exchange;

import java.util.function.BiConsumer;

/** Per-exchange values shared between filters and shown in logs; see {@link AttributeKey}. */
public interface Attributes {

  /** @return the value, or {@code null} when absent */
  <T> T get(AttributeKey<T> key);

  /** Sets a value; {@code null} removes it. */
  <T> void put(AttributeKey<T> key, T value);

  /** Visits every attribute in insertion order. */
  void forEach(BiConsumer<AttributeKey<?>, Object> visitor);
}
