package io.frontdesk.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds the site for a host name: an exact name first, then the longest matching wildcard
 * ({@code *.example.com} matches any name ending in {@code .example.com}), then the catch-all
 * {@code *}. Immutable; lookups cost one hash probe per label.
 *
 * @param <S> the site type
 */
public final class HostTable<S> {

  private final Map<String, S> exact;
  private final Map<String, S> wildcardSuffixes; // ".example.com" -> site
  private final S catchAll;

  private HostTable(Map<String, S> exact, Map<String, S> wildcardSuffixes, S catchAll) {
    this.exact = exact;
    this.wildcardSuffixes = wildcardSuffixes;
    this.catchAll = catchAll;
  }

  /** Collects hosts; later duplicates are refused by the caller's validation, not here. */
  public static final class Builder<S> {
    private final Map<String, S> exact = new HashMap<>();
    private final Map<String, S> wildcard = new HashMap<>();
    private S catchAll;

    public Builder<S> add(String pattern, S site) {
      if (pattern.equals("*")) {
        catchAll = site;
      } else if (pattern.startsWith("*.")) {
        wildcard.put(pattern.substring(1), site);
      } else {
        exact.put(pattern, site);
      }
      return this;
    }

    public HostTable<S> build() {
      return new HostTable<>(Map.copyOf(exact), Map.copyOf(wildcard), catchAll);
    }
  }

  public static <S> Builder<S> builder() {
    return new Builder<>();
  }

  /**
   * @param host a lower-case host name without port
   * @return the site, or {@code null}
   */
  public S find(String host) {
    S site = exact.get(host);
    if (site != null) {
      return site;
    }
    if (!wildcardSuffixes.isEmpty()) {
      // Longest suffix first: for a.b.example.com try .b.example.com, then .example.com, then .com.
      int dot = host.indexOf('.');
      while (dot > 0) {
        site = wildcardSuffixes.get(host.substring(dot));
        if (site != null) {
          return site;
        }
        dot = host.indexOf('.', dot + 1);
      }
    }
    return catchAll;
  }
}
