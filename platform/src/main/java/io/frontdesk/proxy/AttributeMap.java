package io.frontdesk.proxy;

import io.frontdesk.api.exchange.Attributes;
import java.util.LinkedHashMap;
import java.util.Map;

/** A filter exchange's attributes, in insertion order. */
final class AttributeMap implements Attributes {
  private final LinkedHashMap<io.frontdesk.api.exchange.AttributeKey<?>, Object> values = new LinkedHashMap<>(4);

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(io.frontdesk.api.exchange.AttributeKey<T> key) {
    return (T) values.get(key);
  }

  @Override
  public <T> void put(io.frontdesk.api.exchange.AttributeKey<T> key, T value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, key.type().cast(value));
    }
  }

  @Override
  public void forEach(java.util.function.BiConsumer<io.frontdesk.api.exchange.AttributeKey<?>, Object> visitor) {
    values.forEach(visitor);
  }

  Map<String, String> logged() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.logged()) {
        out.put(k.name(), String.valueOf(v));
      }
    });
    return out;
  }
}
