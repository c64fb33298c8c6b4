package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.Headers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Header fields for unit tests: a list of name/value pairs, names without regard to case. */
final class TestHeaders implements Headers {

  final List<Map.Entry<String, String>> fields = new ArrayList<>();

  static TestHeaders of(String... nameValues) {
    TestHeaders h = new TestHeaders();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @Override
  public String get(CharSequence name) {
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equalsIgnoreCase(name.toString())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public List<String> getAll(CharSequence name) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : fields) {
      if (e.getKey().equalsIgnoreCase(name.toString())) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  @Override
  public boolean contains(CharSequence name) {
    return get(name) != null;
  }

  @Override
  public Set<String> names() {
    Set<String> s = new LinkedHashSet<>();
    fields.forEach(e -> s.add(e.getKey()));
    return s;
  }

  @Override
  public int size() {
    return fields.size();
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return fields.iterator();
  }

  @Override
  public TestHeaders set(CharSequence name, CharSequence value) {
    remove(name);
    return add(name, value);
  }

  @Override
  public TestHeaders add(CharSequence name, CharSequence value) {
    fields.add(Map.entry(name.toString(), value.toString()));
    return this;
  }

  @Override
  public TestHeaders remove(CharSequence name) {
    fields.removeIf(e -> e.getKey().equalsIgnoreCase(name.toString()));
    return this;
  }
}
