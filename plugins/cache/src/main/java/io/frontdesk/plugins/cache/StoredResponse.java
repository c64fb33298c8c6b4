package io.frontdesk.plugins.cache;

/** A stored response: its head and its body. */
record StoredResponse(StoredHead head, Body body) {

  /** @return the bytes it costs the memory tier */
  int weight() {
    long b = body instanceof Body.InMemory m ? m.length() : 0;
    return (int) Math.min(Integer.MAX_VALUE, head.weight() + b + 32);
  }

  StoredResponse withHead(StoredHead h) {
    return new StoredResponse(h, body);
  }
}
