package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored responses of one primary key, newest first: one per secondary key (RFC 9111 4.1), so
 * a response that varies on {@code Accept-Encoding} keeps a gzip and a plain variant side by side.
 * Immutable: the memory tier replaces it whole, so its weight stays right.
 */
record Variants(List<StoredResponse> entries) {

  /** @return the newest variant that may answer the request, or {@code null} */
  StoredResponse select(io.frontdesk.api.http.HeaderFields request) {
    for (StoredResponse r : entries) {
      if (r.head().vary().matches(request)) {
        return r;
      }
    }
    return null;
  }

  /** @return these variants with {@code r} first, replacing the one with the same secondary key */
  Variants with(StoredResponse r, int max) {
    List<StoredResponse> out = new ArrayList<>(entries.size() + 1);
    out.add(r);
    for (StoredResponse e : entries) {
      if (!e.head().vary().sameAs(r.head().vary()) && out.size() < max) {
        out.add(e);
      }
    }
    return new Variants(List.copyOf(out));
  }

  /** @return these variants with {@code old} replaced by {@code updated}, or {@code null} when {@code old} is gone */
  Variants replacing(StoredResponse old, StoredResponse updated) {
    List<StoredResponse> out = new ArrayList<>(entries);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).id() == old.id()) {
        out.set(i, updated);
        return new Variants(List.copyOf(out));
      }
    }
    return null;
  }

  /** @return these variants without {@code gone}, or {@code null} when none is left */
  Variants without(StoredResponse gone) {
    List<StoredResponse> out = new ArrayList<>(entries);
    out.removeIf(e -> e.id() == gone.id());
    return out.isEmpty() ? null : new Variants(List.copyOf(out));
  }

  /** @return whether a variant with {@code id} is here */
  boolean has(long id) {
    for (StoredResponse e : entries) {
      if (e.id() == id) {
        return true;
      }
    }
    return false;
  }

  int weight() {
    long w = 64;
    for (StoredResponse r : entries) {
      w += r.weight();
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }
}
