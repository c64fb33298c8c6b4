package io.frontdesk.plugins.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which stored URLs carry a surrogate key (a tag the origin sends in a field such as
 * {@code Surrogate-Key: product-42 category-7}), so one purge removes them all. Keys of URLs that
 * were evicted meanwhile are dropped when their tag is purged.
 */
final class SurrogateKeys {

  private final ConcurrentHashMap<String, Set<String>> byTag = new ConcurrentHashMap<>();

  /** Notes the tags of a stored response of {@code key}. */
  void add(String key, String[] headers, String field) {
    if (field == null) {
      return;
    }
    for (String v : HeaderList.getAll(headers, field)) {
      for (String tag : v.trim().split("\\s+")) {
        if (!tag.isEmpty()) {
          byTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(key);
        }
      }
    }
  }

  /** @return the URLs tagged {@code tag}, forgetting the tag */
  List<String> take(String tag) {
    Set<String> keys = byTag.remove(tag);
    return keys == null ? List.of() : List.copyOf(keys);
  }

  int tags() {
    return byTag.size();
  }
}
