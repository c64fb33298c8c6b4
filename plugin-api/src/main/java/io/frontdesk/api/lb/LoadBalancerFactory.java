package io.frontdesk.api.lb;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Extension point: a balancing algorithm, chosen by an upstream's {@code algorithm} field.
 * A plugin may offer several, each annotated {@code @org.pf4j.Extension}.
 */
public interface LoadBalancerFactory extends ExtensionPoint {

  /** @return the algorithm's name as upstreams name it, e.g. {@code least-connections} */
  String algorithm();

  /** @return a JSON Schema for the upstream's {@code algorithmConfig}; defaults to any object */
  default JsonObject configSchema() {
    return new JsonObject().put("type", "object");
  }

  /**
   * @param config the upstream's {@code algorithmConfig}, valid against {@link #configSchema()}
   * @param targets every target of the upstream, healthy or not, in configuration order
   * @throws IllegalArgumentException when the configuration is unusable (answered as a 400)
   */
  LoadBalancer create(JsonObject config, List<UpstreamTarget> targets);
}
