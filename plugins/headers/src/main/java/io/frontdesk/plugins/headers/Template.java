package io.frontdesk.plugins.headers;

import io.frontdesk.api.exchange.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A header value with {@code {variables}}, split into parts once so rendering only concatenates. */
final class Template {

  private final List<Function<Exchange, String>> parts;
  private final String constant;

  private Template(List<Function<Exchange, String>> parts, String constant) {
    this.parts = parts;
    this.constant = constant;
  }

  static Template parse(String text) {
    List<Function<Exchange, String>> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int close = c == '{' ? text.indexOf('}', i) : -1;
      Function<Exchange, String> var = close > 0 ? variable(text.substring(i + 1, close)) : null;
      if (var != null) {
        if (literal.length() > 0) {
          String lit = literal.toString();
          parts.add(ex -> lit);
          literal.setLength(0);
        }
        parts.add(var);
        i = close + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (parts.isEmpty()) {
      return new Template(List.of(), literal.toString());
    }
    if (literal.length() > 0) {
      String lit = literal.toString();
      parts.add(ex -> lit);
    }
    return new Template(List.copyOf(parts), null);
  }

  private static Function<Exchange, String> variable(String name) {
    return switch (name) {
      case "requestId" -> Exchange::requestId;
      case "clientIp" -> Exchange::clientIp;
      case "host" -> ex -> ex.request().host();
      case "scheme" -> ex -> ex.request().scheme();
      case "site" -> Exchange::siteName;
      case "route" -> Exchange::routeName;
      case "upstream" -> Exchange::upstreamName;
      case "target" -> Exchange::targetAddress;
      default -> null; // not a variable: kept as written
    };
  }

  String render(Exchange ex) {
    if (constant != null) {
      return constant;
    }
    StringBuilder sb = new StringBuilder();
    for (Function<Exchange, String> p : parts) {
      String v = p.apply(ex);
      sb.append(v == null ? "" : v);
    }
    return sb.toString();
  }
}
