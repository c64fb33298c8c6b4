package io.frontdesk.proxy;

import io.frontdesk.net.Cidr;
import io.frontdesk.net.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The proxies (load balancers, CDNs) in front of Frontdesk whose forwarding headers are believed:
 * only from them are {@code X-Forwarded-*} and {@code X-Request-Id} kept, and the client address
 * taken from {@code X-Forwarded-For}.
 */
public final class TrustedProxies {

  private final List<Cidr> networks;

  public TrustedProxies(List<Cidr> networks) {
    this.networks = List.copyOf(networks);
  }

  public static TrustedProxies none() {
    return new TrustedProxies(List.of());
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  public boolean trusts(InetAddress address) {
    for (Cidr c : networks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  public boolean trusts(InetSocketAddress peer) {
    return peer != null && peer.getAddress() != null && !networks.isEmpty() && trusts(peer.getAddress());
  }

  /**
   * The client address: walking {@code X-Forwarded-For} from the right, the first hop that is not a
   * trusted proxy (or the left-most hop when all are trusted). Only called when the peer is trusted.
   *
   * @return the client IP text, or {@code null} when the header has no usable address
   */
  public String clientFrom(List<String> forwardedFor) {
    String leftmost = null;
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String[] hops = forwardedFor.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = hops[i].trim();
        if (hop.isEmpty()) {
          continue;
        }
        InetAddress a = IpLiteral.parse(hop);
        if (a == null) {
          return null; // garbage in a trusted chain: fall back to the peer
        }
        if (!trusts(a)) {
          return hop;
        }
        leftmost = hop;
      }
    }
    return leftmost;
  }
}
