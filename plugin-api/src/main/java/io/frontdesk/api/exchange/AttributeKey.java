package io.frontdesk.api.exchange;

import java.util.Objects;

/**
 * A typed key into an exchange's {@link Attributes}.
 *
 * <p>Filters share facts through attributes (a cache status, a WAF score, a rate-limit outcome).
 * Attributes created with {@link #of} are shown in the access log and the request tracer by their
 * name and {@code toString()} value; those created with {@link #internal} are private working state
 * of a plugin and are never shown. Keys compare by identity, so keep each key in a constant.
 *
 * @param <T> the value type
 */
public final class AttributeKey<T> {

  private final String name;
  private final Class<T> type;
  private final boolean logged;

  private AttributeKey(String name, Class<T> type, boolean logged) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.logged = logged;
  }

  /**
   * A key whose value appears in the access log and the tracer.
   *
   * @param name a dotted name with the plugin's id first, e.g. {@code cache.status}
   */
  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type, true);
  }

  /** A key for a plugin's private per-exchange state; never logged. */
  public static <T> AttributeKey<T> internal(String name, Class<T> type) {
    return new AttributeKey<>(name, type, false);
  }

  /** @return the key's name */
  public String name() {
    return name;
  }

  /** @return the value type */
  public Class<T> type() {
    return type;
  }

  /** @return whether values of this key are shown in the access log and the tracer */
  public boolean logged() {
    return logged;
  }

  @Override
  public String toString() {
    return name;
  }
}
