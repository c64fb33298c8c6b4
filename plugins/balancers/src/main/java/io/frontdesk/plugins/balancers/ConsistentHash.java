package io.frontdesk.plugins.balancers;

import io.frontdesk.api.lb.BalancerContext;
import io.frontdesk.api.lb.LoadBalancer;
import io.frontdesk.api.lb.LoadBalancerFactory;
import io.frontdesk.api.lb.UpstreamTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code consistent-hash}: a ring with virtual nodes per target (more for heavier targets); a
 * request goes to the first target clockwise from its key's hash that may take it. Adding or
 * removing a target moves only that target's share of keys. The key is the client IP, a header, a
 * cookie or the path ({@code hashOn}); a request without the key falls back to its client IP.
 */
public final class ConsistentHash implements LoadBalancer {

  /** Registers the algorithm. */
  @Extension
  public static final class Factory implements LoadBalancerFactory {
    @Override
    public String algorithm() {
      return "consistent-hash";
    }

    @Override
    public JsonObject configSchema() {
      return new JsonObject().put("type", "object").put("additionalProperties", false)
          .put("properties", new JsonObject()
              .put("hashOn", new JsonObject().put("enum", new JsonArray().add("client-ip").add("header").add("cookie")
                  .add("path")).put("default", "client-ip"))
              .put("header", new JsonObject().put("type", "string").put("pattern", "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
                  .put("description", "Header whose value is the key (hashOn: header)."))
              .put("cookie", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 256)
                  .put("description", "Cookie whose value is the key (hashOn: cookie)."))
              .put("virtualNodes", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 1000)
                  .put("default", 160).put("description", "Ring points per unit of weight.")));
    }

    @Override
    public LoadBalancer create(JsonObject config, List<UpstreamTarget> targets) {
      String on = config.getString("hashOn", "client-ip");
      if (on.equals("header") && config.getString("header") == null) {
        throw new IllegalArgumentException("header: is required when hashOn is header");
      }
      if (on.equals("cookie") && config.getString("cookie") == null) {
        throw new IllegalArgumentException("cookie: is required when hashOn is cookie");
      }
      return new ConsistentHash(targets, on, config.getString("header"), config.getString("cookie"),
          config.getInteger("virtualNodes", 160));
    }
  }

  private final List<UpstreamTarget> targets;
  private final Map<UpstreamTarget, Integer> index = new IdentityHashMap<>();
  private final long[] points;
  private final int[] owners;
  private final String hashOn;
  private final String header;
  private final String cookie;
  private final boolean[] allowed;

  ConsistentHash(List<UpstreamTarget> targets, String hashOn, String header, String cookie, int virtualNodes) {
    this.targets = List.copyOf(targets);
    this.hashOn = hashOn;
    this.header = header;
    this.cookie = cookie;
    this.allowed = new boolean[targets.size()];
    int total = 0;
    for (int i = 0; i < targets.size(); i++) {
      index.put(targets.get(i), i);
      total += virtualNodes * Math.max(1, targets.get(i).weight());
    }
    long[][] ring = new long[total][2];
    int k = 0;
    for (int i = 0; i < targets.size(); i++) {
      int nodes = virtualNodes * Math.max(1, targets.get(i).weight());
      for (int v = 0; v < nodes; v++) {
        ring[k][0] = hash(targets.get(i).address() + "#" + v);
        ring[k][1] = i;
        k++;
      }
    }
    Arrays.sort(ring, (a, b) -> Long.compare(a[0], b[0]));
    points = new long[total];
    owners = new int[total];
    for (int j = 0; j < total; j++) {
      points[j] = ring[j][0];
      owners[j] = (int) ring[j][1];
    }
  }

  @Override
  public UpstreamTarget select(List<UpstreamTarget> candidates, BalancerContext request) {
    return selectByKey(key(request), candidates);
  }

  UpstreamTarget selectByKey(String key, List<UpstreamTarget> candidates) {
    boolean all = candidates.size() == targets.size();
    if (!all) {
      Arrays.fill(allowed, false);
      for (UpstreamTarget c : candidates) {
        Integer i = index.get(c);
        if (i != null) {
          allowed[i] = true;
        }
      }
    }
    long h = hash(key);
    int at = Arrays.binarySearch(points, h);
    if (at < 0) {
      at = -at - 1;
    }
    for (int step = 0; step < points.length; step++) {
      int j = (at + step) % points.length;
      int owner = owners[j];
      if (all || allowed[owner]) {
        return targets.get(owner);
      }
    }
    return candidates.get(0); // candidates the ring does not know (cannot happen with one config)
  }

  private String key(BalancerContext request) {
    String k = switch (hashOn) {
      case "header" -> request.header(header);
      case "cookie" -> request.cookie(cookie);
      case "path" -> request.path();
      default -> null;
    };
    return k != null ? k : request.clientIp();
  }

  /** 64-bit FNV-1a with murmur3's finaliser for avalanche. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
