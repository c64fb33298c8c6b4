package io.frontdesk.api.lb;

/**
 * A target (backend server) of an upstream, with its live state, as a {@link LoadBalancer} sees it.
 * State is shared by every event loop and node-local.
 */
public interface UpstreamTarget {

  /** @return {@code host:port}, unique within the upstream */
  String address();

  /** @return the host name or IP */
  String host();

  /** @return the port */
  int port();

  /** @return the configured weight (≥ 1) */
  int weight();

  /**
   * @return the weight to balance with now, in hundredths: {@code weight() * 100} at full strength,
   *     down to a tenth of that while the target slow-starts after recovering. Balance on this
   *     (ratios are what matter), not on {@link #weight()}.
   */
  int effectiveWeight();

  /** @return requests in flight to this target from this node */
  int outstanding();

  /** @return an exponentially decayed average of response latency in microseconds, 0 when unknown */
  double latencyEwmaMicros();
}
