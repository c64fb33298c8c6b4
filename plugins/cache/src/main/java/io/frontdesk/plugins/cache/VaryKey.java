package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.HeaderFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secondary key of a stored response (RFC 9111 4.1): the request fields its {@code Vary} names,
 * normalised where the fields' syntax allows — field lines combined, whitespace around list commas
 * removed, and for the content-negotiation fields (whose members are case-insensitive and whose
 * order carries no preference: the q-values do) lower-cased and sorted. {@code Vary: *} never
 * matches. An absent field differs from any value, the empty one included.
 *
 * @param star whether {@code Vary} lists {@code *}
 * @param fields the field names, lower-case, sorted, without duplicates
 * @param values each field's normalised value in the request the response answered ({@code null}: absent)
 */
record VaryKey(boolean star, List<String> fields, List<String> values) {

  static final VaryKey NONE = new VaryKey(false, List.of(), List.of());

  private static final Set<String> NEGOTIATION = Set.of("accept", "accept-encoding", "accept-language",
      "accept-charset");

  /** @return the field names of the {@code Vary} lines, and whether one is {@code *} */
  static VaryKey fieldsOf(List<String> varyLines) {
    if (varyLines == null || varyLines.isEmpty()) {
      return NONE;
    }
    TreeSet<String> names = new TreeSet<>();
    boolean star = false;
    for (String line : varyLines) {
      for (String f : line.split(",")) {
        String t = f.trim().toLowerCase(Locale.ROOT);
        if (t.equals("*")) {
          star = true;
        } else if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return star ? new VaryKey(true, List.of(), List.of()) : names.isEmpty() ? NONE
        : new VaryKey(false, List.copyOf(names), List.of());
  }

  /** @return this key with {@code more} fields (lower-case) added, e.g. the ones the configured key names */
  VaryKey plus(List<String> more) {
    if (star || more.isEmpty()) {
      return this;
    }
    TreeSet<String> names = new TreeSet<>(fields);
    names.addAll(more);
    return new VaryKey(false, List.copyOf(names), List.of());
  }

  /** @return this key's fields with their values in {@code request} */
  VaryKey of(HeaderFields request) {
    if (star || fields.isEmpty()) {
      return this;
    }
    List<String> v = new ArrayList<>(fields.size());
    for (String f : fields) {
      v.add(normalise(f, request.getAll(f)));
    }
    return new VaryKey(false, fields, v);
  }

  /** @return whether a response stored with this key may answer {@code request} */
  boolean matches(HeaderFields request) {
    if (star) {
      return false;
    }
    for (int i = 0; i < fields.size(); i++) {
      String now = normalise(fields.get(i), request.getAll(fields.get(i)));
      String then = values.get(i);
      if (now == null ? then != null : !now.equals(then)) {
        return false;
      }
    }
    return true;
  }

  /** @return whether two stored keys select the same requests (same fields, same values) */
  boolean sameAs(VaryKey other) {
    return !star && !other.star && fields.equals(other.fields) && values.equals(other.values);
  }

  /** @return the field's value normalised, or {@code null} when absent */
  static String normalise(String field, List<String> lines) {
    if (lines == null || lines.isEmpty()) {
      return null;
    }
    boolean negotiation = NEGOTIATION.contains(field);
    List<String> members = new ArrayList<>();
    for (String line : lines) {
      splitMembers(line, members, negotiation);
    }
    if (negotiation) {
      String[] sorted = members.toArray(String[]::new);
      Arrays.sort(sorted);
      return String.join(",", sorted);
    }
    return String.join(",", members);
  }

  /** Adds the comma-separated members of {@code line} (quoted strings kept whole), trimmed. */
  private static void splitMembers(String line, List<String> out, boolean negotiation) {
    StringBuilder m = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        add(m, out, negotiation);
        m.setLength(0);
      } else {
        m.append(c);
      }
    }
    add(m, out, negotiation);
  }

  private static void add(StringBuilder m, List<String> out, boolean negotiation) {
    String t = m.toString().trim();
    if (t.isEmpty()) {
      return;
    }
    if (negotiation) {
      t = t.toLowerCase(Locale.ROOT).replaceAll("\\s*([;=])\\s*", "$1");
    }
    out.add(t);
  }

  /** @return an estimate of the bytes this key holds, for the cache's weigher */
  int weight() {
    int w = 32;
    for (int i = 0; i < fields.size(); i++) {
      w += 16 + fields.get(i).length() + (i < values.size() && values.get(i) != null ? values.get(i).length() : 0);
    }
    return w;
  }
}
