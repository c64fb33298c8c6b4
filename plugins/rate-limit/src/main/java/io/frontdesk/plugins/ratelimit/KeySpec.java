package io.frontdesk.plugins.ratelimit;

import io.frontdesk.api.exchange.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What a limit counts by: one part ({@code client-ip}, {@code consumer}, {@code route},
 * {@code site}, {@code header:<name>}, {@code cookie:<name>}) or several combined.
 */
final class KeySpec {

  enum Kind { CLIENT_IP, CONSUMER, ROUTE, SITE, HEADER, COOKIE }

  /** One part of a key. */
  record Part(Kind kind, String name) {
    @Override
    public String toString() {
      return switch (kind) {
        case CLIENT_IP -> "client-ip";
        case CONSUMER -> "consumer";
        case ROUTE -> "route";
        case SITE -> "site";
        case HEADER -> "header:" + name;
        case COOKIE -> "cookie:" + name;
      };
    }
  }

  /** Values longer than this are kept as a hash, so a huge header cannot make a huge key. */
  private static final int MAX_PLAIN_LENGTH = 64;

  private final List<Part> parts;
  private final int v4Prefix;
  private final int v6Prefix;

  private KeySpec(List<Part> parts, int v4Prefix, int v6Prefix) {
    this.parts = parts;
    this.v4Prefix = v4Prefix;
    this.v6Prefix = v6Prefix;
  }

  /**
   * @param texts the parts as configured, e.g. {@code ["client-ip"]} or {@code ["consumer",
   *     "route"]}
   * @throws IllegalArgumentException naming the part that is not understood
   */
  static KeySpec parse(List<String> texts, int v4Prefix, int v6Prefix) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("is empty: name at least one of " + known());
    }
    List<Part> parts = new ArrayList<>();
    for (String t : texts) {
      Part p = part(t == null ? "" : t.trim());
      if (parts.contains(p)) {
        throw new IllegalArgumentException("names '" + t + "' twice");
      }
      parts.add(p);
    }
    return new KeySpec(List.copyOf(parts), v4Prefix, v6Prefix);
  }

  private static Part part(String t) {
    String lower = t.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "client-ip":
        return new Part(Kind.CLIENT_IP, null);
      case "consumer":
        return new Part(Kind.CONSUMER, null);
      case "route":
        return new Part(Kind.ROUTE, null);
      case "site":
        return new Part(Kind.SITE, null);
      default:
        break;
    }
    int colon = t.indexOf(':');
    String prefix = colon < 0 ? lower : lower.substring(0, colon);
    String name = colon < 0 ? "" : t.substring(colon + 1).trim();
    if ((prefix.equals("header") || prefix.equals("cookie")) && !isToken(name)) {
      throw new IllegalArgumentException("'" + t + "' needs a " + prefix + " name after the colon, e.g. "
          + (prefix.equals("header") ? "header:X-Api-Key" : "cookie:session"));
    }
    if (prefix.equals("header")) {
      return new Part(Kind.HEADER, name.toLowerCase(Locale.ROOT));
    }
    if (prefix.equals("cookie")) {
      return new Part(Kind.COOKIE, name);
    }
    throw new IllegalArgumentException("'" + t + "' is not a key: use " + known() + ", or a list of them");
  }

  private static String known() {
    return "client-ip, consumer, route, site, header:<name>, cookie:<name>";
  }

  private static boolean isToken(String s) {
    if (s.isEmpty() || s.length() > 128) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** @return whether a part is the consumer (so the limit needs an authenticated request) */
  boolean usesConsumer() {
    return parts.stream().anyMatch(p -> p.kind() == Kind.CONSUMER);
  }

  /** @return whether every part is the client address (what concurrency limits by address use) */
  List<Part> parts() {
    return parts;
  }

  /**
   * @return this request's key, or {@code null} when a part is absent (no such header, cookie or
   *     consumer): the limit then does not apply to the request
   */
  String of(Exchange ex) {
    if (parts.size() == 1) {
      return value(parts.get(0), ex);
    }
    StringBuilder sb = new StringBuilder(64);
    for (Part p : parts) {
      String v = value(p, ex);
      if (v == null) {
        return null;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  private String value(Part p, Exchange ex) {
    String v = switch (p.kind()) {
      case CLIENT_IP -> ClientAddress.key(ex.clientIp(), v4Prefix, v6Prefix);
      case CONSUMER -> ConsumerAttributes.of(ex.attributes());
      case ROUTE -> ex.routeName();
      case SITE -> ex.siteName();
      case HEADER -> ex.clientRequest().headers().get(p.name());
      case COOKIE -> cookie(ex.clientRequest().headers().getAll("cookie"), p.name());
    };
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (p.kind() == Kind.HEADER || p.kind() == Kind.COOKIE) {
      return hash(v); // an API key or a session cookie is never kept, sent to Redis or logged in clear
    }
    if (v.length() > MAX_PLAIN_LENGTH || v.indexOf(' ') >= 0) {
      return p.kind() == Kind.ROUTE || p.kind() == Kind.SITE ? v.replace(' ', '_') : hash(v);
    }
    return v;
  }

  static String cookie(List<String> headers, String name) {
    for (String h : headers) {
      int i = 0;
      while (i < h.length()) {
        int semi = h.indexOf(';', i);
        int end = semi < 0 ? h.length() : semi;
        int eq = h.indexOf('=', i);
        if (eq > 0 && eq < end && h.substring(i, eq).trim().equals(name)) {
          String v = h.substring(eq + 1, end).trim();
          if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
          }
          return v;
        }
        i = end + 1;
      }
    }
    return null;
  }

  private static String hash(String v) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return parts.size() == 1 ? parts.get(0).toString()
        : String.join("+", parts.stream().map(Part::toString).toList());
  }
}
