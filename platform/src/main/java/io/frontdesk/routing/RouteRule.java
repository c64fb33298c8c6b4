package io.frontdesk.routing;

import io.frontdesk.config.Route;
import io.frontdesk.config.RouteMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The compiled match and rewrite rules of one route. Immutable and thread-safe. */
public final class RouteRule {

  private static final int EXACT = 0;
  private static final int REGEX = 1;
  private static final int PREFIX = 2;

  /**
   * Route order within a site: priority (high first), then as nginx does it: an exact path, then
   * regexes (by name), then the longest prefix (so a catch-all "/" never hides a regex route).
   */
  public static final Comparator<RouteRule> ORDER = Comparator
      .comparingInt((RouteRule r) -> -r.route.priority())
      .thenComparingInt(r -> r.kind)
      .thenComparingInt(r -> r.prefix == null ? 0 : -r.prefix.length())
      .thenComparing(r -> r.route.name());

  private final Route route;
  private final int kind;
  private final String prefix;
  private final String exact;
  private final Pattern regex;
  private final Set<String> methods;
  private final String[] headerNames;
  private final String[] headerValues;
  private final boolean caseSensitive;

  private RouteRule(Route route) {
    this.route = route;
    RouteMatch m = route.match();
    caseSensitive = route.policy().caseSensitive();
    if (m.path() != null) {
      kind = EXACT;
      exact = m.path();
      prefix = null;
      regex = null;
    } else if (m.pathRegex() != null) {
      kind = REGEX;
      regex = Pattern.compile(m.pathRegex(), caseSensitive ? 0 : Pattern.CASE_INSENSITIVE);
      prefix = null;
      exact = null;
    } else {
      kind = PREFIX;
      prefix = m.pathPrefix() == null ? "/" : m.pathPrefix();
      exact = null;
      regex = null;
    }
    Set<String> ms = new HashSet<>(m.methods());
    if (ms.contains("GET")) {
      ms.add("HEAD"); // a GET route also answers HEAD, as every HTTP server does
    }
    methods = ms.isEmpty() ? null : Set.copyOf(ms);
    List<String> names = new ArrayList<>(m.headers().keySet());
    headerNames = names.toArray(String[]::new);
    headerValues = names.stream().map(n -> m.headers().get(n)).toArray(String[]::new);
  }

  /**
   * @throws java.util.regex.PatternSyntaxException when the regex does not compile (validation
   *     prevents this for stored routes)
   */
  public static RouteRule compile(Route route) {
    return new RouteRule(route);
  }

  public Route route() {
    return route;
  }

  /**
   * @param headers looks a request header up by lower-case name
   */
  public boolean matches(String method, String path, Function<String, String> headers) {
    switch (kind) {
      case EXACT -> {
        if (caseSensitive ? !exact.equals(path) : !exact.equalsIgnoreCase(path)) {
          return false;
        }
      }
      case PREFIX -> {
        if (!prefixMatches(prefix, path, caseSensitive)) {
          return false;
        }
      }
      default -> {
        if (!regex.matcher(path).matches()) {
          return false;
        }
      }
    }
    if (methods != null && !methods.contains(method)) {
      return false;
    }
    for (int i = 0; i < headerNames.length; i++) {
      String v = headers.apply(headerNames[i]);
      if (v == null || (!headerValues[i].equals("*") && !headerValues[i].equals(v))) {
        return false;
      }
    }
    return true;
  }

  /** {@code /api} matches {@code /api} and {@code /api/x} but not {@code /apix}. */
  static boolean prefixMatches(String prefix, String path, boolean caseSensitive) {
    if (!path.regionMatches(!caseSensitive, 0, prefix, 0, prefix.length())) {
      return false;
    }
    return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
  }

  /** @return the path to send upstream for a path this rule matched */
  public String forwardPath(String path) {
    String rewrite = route.rewrite();
    switch (kind) {
      case PREFIX -> {
        if (!route.stripPrefix() && rewrite == null) {
          return path;
        }
        String rest = path.substring(prefix.endsWith("/") ? prefix.length() - 1 : prefix.length());
        String head = rewrite == null ? "" : rewrite;
        if (head.endsWith("/") && rest.startsWith("/")) {
          head = head.substring(0, head.length() - 1);
        }
        String out = head + rest;
        return out.isEmpty() ? "/" : out.charAt(0) == '/' ? out : "/" + out;
      }
      case EXACT -> {
        return rewrite == null ? path : rewrite;
      }
      default -> {
        if (rewrite == null) {
          return path;
        }
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
          return path;
        }
        StringBuilder sb = new StringBuilder();
        m.appendReplacement(sb, rewrite);
        String out = sb.toString();
        return out.startsWith("/") ? out : "/" + out;
      }
    }
  }
}
