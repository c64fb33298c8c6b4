package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The status and header fields of a stored response with the facts its age and freshness follow
 * from. Made when a response is stored ({@link #capture}) and again when a 304 freshens it
 * ({@link #freshen}, RFC 9111 4.3.4). Stored fields leave out what RFC 9111 3.1 says not to keep
 * ({@code Proxy-Authenticate}, {@code Proxy-Authentication-Info}, {@code Proxy-Authorization}, the
 * fields a {@code private} or {@code no-cache} directive names) and what is recomputed for every
 * answer ({@code Age}, {@code Content-Length}, framing); a response without a valid {@code Date}
 * is stored with one for the time it arrived (RFC 9110 6.6.1).
 *
 * @param headers the stored fields, see {@link HeaderList}
 * @param requestTime when the request that got it was sent (ms)
 * @param responseTime when it arrived (ms)
 * @param correctedInitialAge its age on arrival (ms, RFC 9111 4.2.3)
 * @param vary its secondary key, with the values of the request it answered
 */
record StoredHead(int status, String[] headers, long requestTime, long responseTime, long correctedInitialAge,
    Policy policy, VaryKey vary) {

  /** Fields never stored, beyond the ones the directives name. */
  private static final Set<String> NOT_STORED = Set.of("age", "content-length", "transfer-encoding", "connection",
      "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authentication-info",
      "proxy-authorization", "x-request-id");
  /** Fields a 304 never replaces (RFC 9111 3.2), besides those never stored. */
  private static final Set<String> NOT_UPDATED = Set.of("content-encoding", "content-range");

  /**
   * @param fields the response's fields as received
   * @param varyOfRequest the response's {@code Vary} fields with the values of the request
   */
  static StoredHead capture(int status, Iterable<Map.Entry<String, String>> fields, long requestTime,
      long responseTime, VaryKey varyOfRequest, Freshness.Heuristic heuristic) {
    List<String> out = new ArrayList<>(24);
    List<String> cc = new ArrayList<>(2);
    List<String> age = new ArrayList<>(1);
    for (Map.Entry<String, String> e : fields) {
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (n.equals("cache-control")) {
        cc.add(e.getValue());
      } else if (n.equals("age")) {
        age.add(e.getValue());
      }
    }
    CacheControl directives = CacheControl.parse(cc);
    Set<String> omitted = omittedBy(directives);
    for (Map.Entry<String, String> e : fields) {
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_STORED.contains(n) && !omitted.contains(n)) {
        out.add(e.getKey());
        out.add(e.getValue());
      }
    }
    return build(status, out, age, requestTime, responseTime, varyOfRequest, heuristic);
  }

  /**
   * The stored response freshened by a 304 (or a HEAD response) to a validation: each field the new
   * response carries replaces the stored field of that name, except those never stored or updated;
   * the times are the validation's.
   */
  StoredHead freshen(Iterable<Map.Entry<String, String>> fields, long newRequestTime, long newResponseTime,
      Freshness.Heuristic heuristic) {
    List<String> cc = new ArrayList<>(2);
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equalsIgnoreCase("cache-control")) {
        cc.add(e.getValue());
      }
    }
    Set<String> omitted = omittedBy(CacheControl.parse(cc));
    Set<String> replaced = new HashSet<>();
    List<String> fresh = new ArrayList<>();
    List<String> age = new ArrayList<>(1);
    for (Map.Entry<String, String> e : fields) {
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (n.equals("age")) {
        age.add(e.getValue());
      }
      if (NOT_STORED.contains(n) || NOT_UPDATED.contains(n) || omitted.contains(n)) {
        continue;
      }
      replaced.add(n);
      fresh.add(e.getKey());
      fresh.add(e.getValue());
    }
    List<String> out = new ArrayList<>(headers.length + fresh.size());
    for (int i = 0; i < headers.length; i += 2) {
      if (!replaced.contains(headers[i].toLowerCase(Locale.ROOT))) {
        out.add(headers[i]);
        out.add(headers[i + 1]);
      }
    }
    out.addAll(fresh);
    return build(status, out, age, newRequestTime, newResponseTime, vary, heuristic);
  }

  private static StoredHead build(int status, List<String> out, List<String> age, long requestTime,
      long responseTime, VaryKey vary, Freshness.Heuristic heuristic) {
    String[] h = out.toArray(String[]::new);
    long nowSeconds = responseTime / 1000;
    long date = HttpDate.parse(HeaderList.get(h, "date"), nowSeconds);
    if (date == HttpDate.INVALID) {
      if (HeaderList.get(h, "date") == null) {
        String[] withDate = java.util.Arrays.copyOf(h, h.length + 2);
        withDate[h.length] = "Date";
        withDate[h.length + 1] = HttpDate.format(nowSeconds);
        h = withDate;
      }
      date = nowSeconds;
    }
    long initialAge = AgeCalculator.correctedInitialAge(AgeCalculator.ageValue(age), date * 1000, requestTime,
        responseTime);
    return new StoredHead(status, h, requestTime, responseTime, initialAge, policy(status, h, date, heuristic,
        nowSeconds), vary);
  }

  /** @return a head read back from the disk tier: the policy is worked out again from its fields */
  static StoredHead restore(int status, String[] h, long requestTime, long responseTime, long correctedInitialAge,
      VaryKey vary, Freshness.Heuristic heuristic) {
    long nowSeconds = responseTime / 1000;
    long date = HttpDate.parse(HeaderList.get(h, "date"), nowSeconds);
    return new StoredHead(status, h, requestTime, responseTime, correctedInitialAge,
        policy(status, h, date == HttpDate.INVALID ? nowSeconds : date, heuristic, nowSeconds), vary);
  }

  private static Policy policy(int status, String[] h, long date, Freshness.Heuristic heuristic, long nowSeconds) {
    CacheControl cc = CacheControl.parse(HeaderList.getAll(h, "cache-control"));
    Freshness.Lifetime lifetime = Freshness.lifetime(cc, HeaderList.getAll(h, "expires"), date,
        HeaderList.get(h, "last-modified"), status, heuristic, nowSeconds);
    return Policy.of(cc, lifetime);
  }

  /** @return the fields {@code private="…"} and {@code no-cache="…"} keep out of a shared cache */
  private static Set<String> omittedBy(CacheControl cc) {
    List<String> p = cc.fieldNames("private");
    List<String> n = cc.fieldNames("no-cache");
    if (p.isEmpty() && n.isEmpty()) {
      return Set.of();
    }
    Set<String> s = new HashSet<>(p);
    s.addAll(n);
    return s;
  }

  /** @return current_age at {@code now} (ms) */
  long age(long now) {
    return AgeCalculator.currentAge(correctedInitialAge, responseTime, now);
  }

  /** @return whether it is fresh at {@code now} */
  boolean fresh(long now) {
    return age(now) < policy.lifetimeMillis();
  }

  /** @return remaining freshness in whole seconds at {@code now}; negative when stale */
  long ttlSeconds(long now) {
    return Math.floorDiv(policy.lifetimeMillis() - age(now), 1000);
  }

  /** @return the first value of a stored field, or {@code null} */
  String header(String name) {
    return HeaderList.get(headers, name);
  }

  /** @return the approximate bytes it holds */
  int weight() {
    return 96 + HeaderList.weight(headers) + vary.weight();
  }
}
