package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Entity-tags (RFC 9110 8.8.3): lists in {@code If-Match} / {@code If-None-Match}, and the strong
 * and weak comparisons. A tag is compared by its opaque part with the weakness flag apart; a bare
 * tag without quotes (a common mistake) is read as if quoted.
 */
final class EntityTags {

  /** One entity-tag. */
  record Tag(boolean weak, String opaque) {
    boolean strongMatch(Tag other) {
      return !weak && !other.weak && opaque.equals(other.opaque);
    }

    boolean weakMatch(Tag other) {
      return opaque.equals(other.opaque);
    }
  }

  private EntityTags() {
  }

  /** @return the tag of an {@code ETag} value, or {@code null} for none */
  static Tag parse(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    boolean weak = false;
    if (v.length() > 2 && (v.startsWith("W/") || v.startsWith("w/"))) {
      weak = true;
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return v.isEmpty() && !value.contains("\"") ? null : new Tag(weak, v);
  }

  /**
   * @return the tags of an {@code If-Match} / {@code If-None-Match} field (lines joined), or
   *     {@code null} for {@code *}
   */
  static List<Tag> list(List<String> lines) {
    List<Tag> out = new ArrayList<>();
    for (String line : lines) {
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        }
        if (c == ',' && !quoted) {
          if (add(cur.toString(), out)) {
            return null;
          }
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      if (add(cur.toString(), out)) {
        return null;
      }
    }
    return out;
  }

  /** @return whether the member is {@code *} */
  private static boolean add(String member, List<Tag> out) {
    String m = member.trim();
    if (m.equals("*")) {
      return true;
    }
    Tag t = parse(m);
    if (t != null && !m.isEmpty()) {
      out.add(t);
    }
    return false;
  }
}
