package io.frontdesk.store;

import io.frontdesk.store.ConfigDiff.Change;
import io.frontdesk.store.ConfigDiff.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of history in words and names, made from the changes a write made: "created site
 * shop", "bound access-control to route api", "changed route api: priority 10 → 20", "changed
 * target 10.0.0.1:80 weight 1 → 3 in upstream shop", "disabled plugin compression".
 */
final class ChangeSummary {

  /** Objects described one by one before the rest is counted. */
  static final int MAX_OBJECTS = 4;
  private static final int MAX_VALUE = 48;

  private ChangeSummary() {
  }

  /** @return the summary, or {@code fallback} when nothing changed */
  static String of(List<Change> changes, String fallback) {
    Map<String, List<Change>> byObject = new LinkedHashMap<>();
    for (Change c : changes) {
      byObject.computeIfAbsent(c.type() + "/" + c.id(), k -> new ArrayList<>()).add(c);
    }
    if (byObject.isEmpty()) {
      return fallback;
    }
    List<String> parts = new ArrayList<>();
    for (List<Change> one : byObject.values()) {
      if (parts.size() == MAX_OBJECTS) {
        parts.add("and " + (byObject.size() - MAX_OBJECTS) + " more");
        break;
      }
      parts.add(describe(one));
    }
    return String.join("; ", parts);
  }

  private static String describe(List<Change> changes) {
    Change first = changes.get(0);
    String type = first.type();
    String name = first.object();
    if (first.kind() == Kind.ADDED) {
      return type.equals("binding") ? "bound " + binding((JsonObject) first.after(), " to ")
          : "created " + type + " " + name;
    }
    if (first.kind() == Kind.REMOVED) {
      return type.equals("binding") ? "unbound " + binding((JsonObject) first.before(), " from ")
          : "deleted " + type + " " + name;
    }
    if (type.equals("plugin")) {
      return (Boolean.FALSE.equals(first.after()) ? "disabled" : "enabled") + " plugin " + name;
    }
    List<String> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (Change c : changes) {
      if (c.field().equals("name")) {
        out.add("renamed " + type + " " + c.before() + " to " + c.after());
      } else if (c.field().startsWith("targets[")) {
        out.add(target(c, name));
      } else {
        fields.add(c.field() + " " + value(c.before()) + " → " + value(c.after()));
      }
    }
    if (!fields.isEmpty()) {
      out.add("changed " + type + " " + name + ": " + String.join(", ", fields));
    }
    return String.join("; ", out);
  }

  /** @return {@code access-control to route api}, {@code headers globally} */
  private static String binding(JsonObject b, String preposition) {
    String scope = b.getString("scope");
    return b.getString("plugin") + (scope.equals("global") ? " globally" : preposition + scope + " "
        + b.getString("target"));
  }

  private static String target(Change c, String upstream) {
    String address = c.field().substring("targets[".length(), c.field().length() - 1);
    if (c.before() == null) {
      return "added target " + address + " to upstream " + upstream;
    }
    if (c.after() == null) {
      return "removed target " + address + " from upstream " + upstream;
    }
    JsonObject a = (JsonObject) c.before();
    JsonObject b = (JsonObject) c.after();
    List<String> fields = new ArrayList<>();
    for (String f : b.fieldNames()) {
      if (!ConfigDiff.same(a.getValue(f), b.getValue(f))) {
        fields.add(f + " " + value(a.getValue(f)) + " → " + value(b.getValue(f)));
      }
    }
    return "changed target " + address + " " + String.join(", ", fields) + " in upstream " + upstream;
  }

  private static String value(Object v) {
    String s = v == null ? "none" : v instanceof JsonObject || v instanceof JsonArray ? io.vertx.core.json.Json
        .encode(v) : String.valueOf(v);
    return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE - 1) + "…" : s;
  }
}
