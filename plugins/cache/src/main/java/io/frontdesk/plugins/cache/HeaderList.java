package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Header fields kept compactly as {@code name, value, name, value, …} in one array (a stored
 * response holds its fields this way: thousands of entries, few objects each). Names compare
 * without regard to case.
 */
final class HeaderList {

  private HeaderList() {
  }

  /** @return the first value of {@code name}, or {@code null} */
  static String get(String[] h, String name) {
    for (int i = 0; i < h.length; i += 2) {
      if (h[i].equalsIgnoreCase(name)) {
        return h[i + 1];
      }
    }
    return null;
  }

  /** @return every value of {@code name} in order */
  static List<String> getAll(String[] h, String name) {
    List<String> out = null;
    for (int i = 0; i < h.length; i += 2) {
      if (h[i].equalsIgnoreCase(name)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(h[i + 1]);
      }
    }
    return out == null ? List.of() : out;
  }

  /** @return the approximate bytes the fields hold */
  static int weight(String[] h) {
    int w = 16 + 8 * h.length;
    for (String s : h) {
      w += 40 + s.length();
    }
    return w;
  }
}
