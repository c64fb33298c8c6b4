package io.frontdesk.plugins.cache;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A stored response: its head and its body, and an id that stays with it when a validation
 * freshens its head (the disk tier names its file after it).
 */
record StoredResponse(long id, StoredHead head, Body body) {

  StoredResponse(StoredHead head, Body body) {
    this(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, head, body);
  }

  /** @return the bytes it costs the memory tier */
  int weight() {
    long b = body instanceof Body.InMemory m ? m.length() : 0;
    return (int) Math.min(Integer.MAX_VALUE, head.weight() + b + 40);
  }

  StoredResponse withHead(StoredHead h) {
    return new StoredResponse(id, h, body);
  }
}
