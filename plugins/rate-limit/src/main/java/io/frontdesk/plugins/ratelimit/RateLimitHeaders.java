package io.frontdesk.plugins.ratelimit;

import java.util.List;

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11), as structured-field
 * lists with one item per limit that applies to the request, named by the limit:
 * {@code RateLimit-Policy: "client-ip 5/s";q=5;w=1} (quota per window) and
 * {@code RateLimit: "client-ip 5/s";r=4;t=1} (what remains, and seconds until it next grows).
 */
final class RateLimitHeaders {

  static final String POLICY = "RateLimit-Policy";
  static final String STATE = "RateLimit";

  private RateLimitHeaders() {
  }

  /** The two field values; {@code null} fields when no limit applied. */
  record Fields(String policy, String state) {
  }

  static Fields of(List<Limit> limits, Outcome[] outcomes, List<ConcurrencyLimit> conc, int[] inFlight) {
    StringBuilder policy = new StringBuilder();
    StringBuilder state = new StringBuilder();
    for (int i = 0; i < limits.size(); i++) {
      Outcome o = outcomes == null ? null : outcomes[i];
      if (o == null || !o.applies()) {
        continue;
      }
      Limit l = limits.get(i);
      item(policy, l.name()).append(";q=").append(l.rate().count()).append(";w=").append(l.rate().periodSeconds());
      item(state, l.name()).append(";r=").append(o.remaining()).append(";t=").append(seconds(o.resetMicros()));
    }
    for (int i = 0; i < conc.size(); i++) {
      if (inFlight == null || inFlight[i] < 0) {
        continue;
      }
      ConcurrencyLimit c = conc.get(i);
      item(policy, c.name()).append(";q=").append(c.max()).append(";qu=\"concurrent-requests\"");
      item(state, c.name()).append(";r=").append(Math.max(0, c.max() - inFlight[i]));
    }
    return new Fields(policy.isEmpty() ? null : policy.toString(), state.isEmpty() ? null : state.toString());
  }

  /** @return whole seconds, rounded up (a client waiting that long is never early) */
  static long seconds(long micros) {
    return Math.max(0, (micros + 999_999) / 1_000_000);
  }

  /** Appends a structured-field string (RFC 9651 3.3.3), after a list separator when needed. */
  private static StringBuilder item(StringBuilder sb, String name) {
    if (!sb.isEmpty()) {
      sb.append(", ");
    }
    sb.append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return sb.append('"');
  }
}
