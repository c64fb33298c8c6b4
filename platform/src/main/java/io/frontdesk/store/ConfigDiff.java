package io.frontdesk.store;

import io.frontdesk.config.ConfigDocument;
import io.frontdesk.config.PluginBinding;
import io.frontdesk.config.Route;
import io.frontdesk.config.Site;
import io.frontdesk.config.Upstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two configuration documents, as people name things: objects are matched
 * by id but keyed by name ({@code sites/shop}, {@code routes/api},
 * {@code bindings/access-control@route:api}, {@code plugins/compression}), fields by their path
 * inside the object ({@code hosts}, {@code match.pathPrefix}, {@code targets[10.0.0.1:80].weight}),
 * and references are shown by name ({@code site: "shop"} rather than a site id).
 */
public final class ConfigDiff {

  /** How an object changed. */
  public enum Kind {
    ADDED, REMOVED, CHANGED
  }

  /**
   * One change: a whole object added or removed ({@code field} null, the object's named form in
   * {@code before} or {@code after}), or one field of an object changed.
   *
   * @param type site, upstream, route, binding or plugin
   * @param object the object's name ({@code shop}; {@code access-control@route:api} for a binding)
   * @param id the object's id (the plugin id for plugins)
   */
  public record Change(Kind kind, String type, String object, String id, String field, Object before, Object after) {

    /** @return {@code sites/shop/hosts}, or {@code sites/shop} for a whole object */
    public String path() {
      return plural(type) + "/" + object + (field == null ? "" : "/" + field);
    }

    public JsonObject toJson() {
      return new JsonObject().put("path", path()).put("change", kind.name().toLowerCase(java.util.Locale.ROOT))
          .put("type", type).put("object", object).put("id", id).put("field", field).put("before", before)
          .put("after", after);
    }
  }

  /** An object in its named form. */
  private record Named(String type, String key, String id, JsonObject fields) {
  }

  private ConfigDiff() {
  }

  /** @return the changes from {@code before} to {@code after}, object by object in a stable order */
  public static List<Change> between(ConfigDocument before, ConfigDocument after) {
    Map<String, Named> a = named(before);
    Map<String, Named> b = named(after);
    List<Change> out = new ArrayList<>();
    Set<String> ids = new java.util.LinkedHashSet<>(a.keySet());
    ids.addAll(b.keySet());
    for (String id : ids) {
      Named x = a.get(id);
      Named y = b.get(id);
      Named any = x != null ? x : y;
      if (any.type().equals("plugin") && (x == null || y == null)) { // listed only while switched off
        out.add(new Change(Kind.CHANGED, "plugin", any.key(), any.id(), "enabled", x == null, y == null));
      } else if (x == null) {
        out.add(new Change(Kind.ADDED, y.type(), y.key(), y.id(), null, null, y.fields()));
      } else if (y == null) {
        out.add(new Change(Kind.REMOVED, x.type(), x.key(), x.id(), null, x.fields(), null));
      } else {
        Map<String, Object> fx = flatten(x.fields());
        Map<String, Object> fy = flatten(y.fields());
        Set<String> fields = new TreeSet<>(fx.keySet());
        fields.addAll(fy.keySet());
        for (String f : fields) {
          if (!same(fx.get(f), fy.get(f))) {
            out.add(new Change(Kind.CHANGED, y.type(), y.key(), y.id(), f, fx.get(f), fy.get(f)));
          }
        }
      }
    }
    out.sort(java.util.Comparator.comparingInt((Change c) -> order(c.type())).thenComparing(Change::object));
    return out;
  }

  /** @return the ids of the objects (and plugin ids) that differ between the two documents */
  public static Set<String> changedIds(ConfigDocument before, ConfigDocument after) {
    Set<String> out = new HashSet<>();
    between(before, after).forEach(c -> out.add(c.id()));
    return out;
  }

  /** Every object of a document by id (plugins by "plugin:" + id), in its named form. */
  private static Map<String, Named> named(ConfigDocument doc) {
    Map<String, String> siteNames = new HashMap<>();
    doc.sites().forEach(s -> siteNames.put(s.id(), s.name()));
    Map<String, String> upstreamNames = new HashMap<>();
    doc.upstreams().forEach(u -> upstreamNames.put(u.id(), u.name()));
    Map<String, String> routeNames = new HashMap<>();
    doc.routes().forEach(r -> routeNames.put(r.id(), r.name()));
    Map<String, Named> out = new LinkedHashMap<>();
    for (Site s : doc.sites()) {
      out.put(s.id(), new Named("site", s.name(), s.id(), new JsonObject().put("name", s.name()).mergeIn(s.spec())));
    }
    for (Upstream u : doc.upstreams()) {
      out.put(u.id(), new Named("upstream", u.name(), u.id(), new JsonObject().put("name", u.name())
          .mergeIn(u.spec())));
    }
    for (Route r : doc.routes()) {
      out.put(r.id(), new Named("route", r.name(), r.id(), new JsonObject().put("name", r.name())
          .put("site", siteNames.getOrDefault(r.siteId(), r.siteId()))
          .put("upstream", upstreamNames.getOrDefault(r.upstreamId(), r.upstreamId())).mergeIn(r.spec())));
    }
    Map<String, Integer> seen = new HashMap<>();
    doc.bindings().forEach(b -> seen.merge(bindingKey(b, siteNames, routeNames), 1, Integer::sum));
    for (PluginBinding b : doc.bindings()) {
      String key = bindingKey(b, siteNames, routeNames);
      if (seen.get(key) > 1) { // two bindings of one plugin on one target: tell them apart
        key = key + "#" + b.id().substring(0, 8);
      }
      String target = b.scope() == PluginBinding.Scope.SITE ? siteNames.getOrDefault(b.siteId(), b.siteId())
          : b.scope() == PluginBinding.Scope.ROUTE ? routeNames.getOrDefault(b.routeId(), b.routeId()) : null;
      out.put(b.id(), new Named("binding", key, b.id(), new JsonObject().put("plugin", b.pluginId())
          .put("scope", b.scope().json()).put("target", target).mergeIn(b.spec())));
    }
    for (String p : doc.disabledPlugins()) {
      out.put("plugin:" + p, new Named("plugin", p, p, new JsonObject().put("enabled", false)));
    }
    return out;
  }

  /** @return {@code plugin@route:name}, {@code plugin@site:name} or {@code plugin@global} */
  static String bindingKey(PluginBinding b, Map<String, String> siteNames, Map<String, String> routeNames) {
    return switch (b.scope()) {
      case GLOBAL -> b.pluginId() + "@global";
      case SITE -> b.pluginId() + "@site:" + siteNames.getOrDefault(b.siteId(), b.siteId());
      case ROUTE -> b.pluginId() + "@route:" + routeNames.getOrDefault(b.routeId(), b.routeId());
    };
  }

  /**
   * Nested objects become dotted paths; an upstream's targets are keyed by their address
   * ({@code targets[10.0.0.1:80]}, the target whole); other arrays and empty objects stay whole
   * values; nulls are left out (absent and null mean the same).
   */
  static Map<String, Object> flatten(JsonObject o) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", o, out);
    return out;
  }

  private static void flatten(String prefix, JsonObject o, Map<String, Object> out) {
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      String path = prefix + k;
      if (v instanceof JsonObject child && !child.isEmpty()) {
        flatten(path + ".", child, out);
      } else if (k.equals("targets") && prefix.isEmpty() && v instanceof JsonArray targets && addressed(targets)) {
        for (Object t : targets) {
          out.put("targets[" + address((JsonObject) t) + "]", t);
        }
      } else if (v != null) {
        out.put(path, v);
      }
    }
  }

  private static boolean addressed(JsonArray targets) {
    return targets.stream().allMatch(t -> t instanceof JsonObject j && j.getValue("host") != null
        && j.getValue("port") != null);
  }

  static String address(JsonObject target) {
    String host = String.valueOf(target.getValue("host"));
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.getValue("port");
  }

  /** JSON equality: numbers by value, objects ignoring null members. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      Set<String> keys = new HashSet<>(x.fieldNames());
      keys.addAll(y.fieldNames());
      return keys.stream().allMatch(k -> same(x.getValue(k), y.getValue(k)));
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.getValue(i), y.getValue(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static int order(String type) {
    return switch (type) {
      case "site" -> 0;
      case "upstream" -> 1;
      case "route" -> 2;
      case "binding" -> 3;
      default -> 4;
    };
  }

  static String plural(String type) {
    return type + "s";
  }
}
