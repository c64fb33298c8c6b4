package io.frontdesk.api.lb;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link LoadBalancerFactory} for an algorithm that takes no options: a name and a constructor.
 * Its schema accepts only an empty {@code algorithmConfig}. A plugin's factory is then
 *
 * <pre>{@code
 * @Extension
 * public static final class Factory extends NoOptionsBalancerFactory {
 *   public Factory() {
 *     super("least-connections", LeastConnections::new);
 *   }
 * }
 * }</pre>
 */
public abstract class NoOptionsBalancerFactory implements LoadBalancerFactory {

  private final String algorithm;
  private final Supplier<? extends LoadBalancer> create;

  /**
   * @param algorithm the name upstreams choose it by
   * @param create makes one balancer (one per upstream and event loop)
   */
  protected NoOptionsBalancerFactory(String algorithm, Supplier<? extends LoadBalancer> create) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.create = Objects.requireNonNull(create, "create");
  }

  @Override
  public final String algorithm() {
    return algorithm;
  }

  /** @return a schema that allows no properties */
  @Override
  public final JsonObject configSchema() {
    return new JsonObject().put("type", "object").put("additionalProperties", false);
  }

  @Override
  public final LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
    return create.get();
  }
}
