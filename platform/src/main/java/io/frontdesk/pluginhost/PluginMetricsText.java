package io.frontdesk.pluginhost;

import io.frontdesk.api.admin.MetricSample;
import io.frontdesk.api.admin.MetricsSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The metrics plugins offer ({@link MetricsSource}) in Prometheus text, for {@code /metrics}. */
public final class PluginMetricsText {

  private static final Logger log = LoggerFactory.getLogger(PluginMetricsText.class);

  private PluginMetricsText() {
  }

  /** @return the samples of every started plugin's metrics source, grouped by name */
  public static String render(PluginRegistry registry) {
    Map<String, List<MetricSample>> byName = new LinkedHashMap<>();
    for (String id : new java.util.TreeSet<>(registry.pluginIds())) {
      PluginRegistry.Extensions e = registry.extensions(id);
      for (Object o : e == null ? List.of() : List.of(e.filter() == null ? "" : e.filter(),
          e.logSink() == null ? "" : e.logSink())) {
        if (o instanceof MetricsSource s) {
          try {
            for (MetricSample m : s.samples()) {
              byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
            }
          } catch (RuntimeException | LinkageError ex) {
            log.warn("plugin '{}' failed to give its metrics", id, ex);
          }
        }
      }
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<MetricSample>> n : byName.entrySet()) {
      String name = "frontdesk_" + n.getKey();
      MetricSample first = n.getValue().get(0);
      b.append("# HELP ").append(name).append(' ').append(first.help().replace('\n', ' ')).append('\n');
      b.append("# TYPE ").append(name).append(first.counter() ? " counter\n" : " gauge\n");
      for (MetricSample m : n.getValue()) {
        b.append(name);
        if (!m.labels().isEmpty()) {
          b.append('{');
          boolean comma = false;
          for (Map.Entry<String, String> l : new TreeMap<>(m.labels()).entrySet()) {
            b.append(comma ? "," : "").append(l.getKey()).append("=\"").append(l.getValue().replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            comma = true;
          }
          b.append('}');
        }
        b.append(' ').append(m.value()).append('\n');
      }
    }
    return b.toString();
  }
}
