package io.frontdesk.plugins.headers;

import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.http.Headers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The header changes for one direction, parsed once from the configuration. */
final class HeaderOps {

  private final List<String> remove;
  private final List<Map.Entry<String, String>> rename;
  private final List<Map.Entry<String, Template>> set;
  private final List<Map.Entry<String, Template>> add;

  private HeaderOps(List<String> remove, List<Map.Entry<String, String>> rename,
      List<Map.Entry<String, Template>> set, List<Map.Entry<String, Template>> add) {
    this.remove = remove;
    this.rename = rename;
    this.set = set;
    this.add = add;
  }

  static HeaderOps parse(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    List<String> remove = new ArrayList<>();
    j.getJsonArray("remove", new JsonArray()).forEach(n -> remove.add((String) n));
    List<Map.Entry<String, String>> rename = new ArrayList<>();
    j.getJsonObject("rename", new JsonObject()).forEach(e -> rename.add(Map.entry(e.getKey(), (String) e.getValue())));
    return new HeaderOps(List.copyOf(remove), List.copyOf(rename), templates(j.getJsonObject("set")),
        templates(j.getJsonObject("add")));
  }

  private static List<Map.Entry<String, Template>> templates(JsonObject o) {
    List<Map.Entry<String, Template>> out = new ArrayList<>();
    if (o != null) {
      o.forEach(e -> out.add(Map.entry(e.getKey(), Template.parse((String) e.getValue()))));
    }
    return List.copyOf(out);
  }

  void applyTo(Headers h, Exchange ex) {
    for (String name : remove) {
      h.remove(name);
    }
    for (Map.Entry<String, String> r : rename) {
      List<String> values = h.getAll(r.getKey());
      if (!values.isEmpty()) {
        h.remove(r.getKey());
        for (String v : values) {
          h.add(r.getValue(), v);
        }
      }
    }
    for (Map.Entry<String, Template> s : set) {
      h.set(s.getKey(), s.getValue().render(ex));
    }
    for (Map.Entry<String, Template> a : add) {
      h.add(a.getKey(), a.getValue().render(ex));
    }
  }
}
