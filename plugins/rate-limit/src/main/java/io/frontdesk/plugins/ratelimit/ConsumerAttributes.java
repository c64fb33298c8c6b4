package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Attributes;

/**
 * The authenticated consumer, as an authentication plugin leaves it on the exchange: attributes
 * named {@value #ID} and {@value #NAME} (String values), set in the request phase before this
 * plugin runs (auth plugins have priority 200, rate-limit 300).
 *
 * <p>Attribute keys compare by identity and each plugin has its own class loader, so the consumer
 * is found by the attribute's name, not by a shared key object.
 */
final class ConsumerAttributes {

  /** The consumer's stable id: what a {@code consumer} limit counts by. */
  static final String ID = "consumer.id";
  /** The consumer's name: counted by when an auth plugin sets no id. */
  static final String NAME = "consumer.name";

  private ConsumerAttributes() {
  }

  /** @return the consumer's id, else its name, else {@code null} (an anonymous request) */
  static String of(Attributes attributes) {
    String[] found = new String[2];
    attributes.forEach((AttributeKey<?> key, Object value) -> {
      if (value instanceof String s && !s.isEmpty()) {
        if (key.name().equals(ID)) {
          found[0] = s;
        } else if (key.name().equals(NAME)) {
          found[1] = s;
        }
      }
    });
    return found[0] != null ? found[0] : found[1];
  }
}
