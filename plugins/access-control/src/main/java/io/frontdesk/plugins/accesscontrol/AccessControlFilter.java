package io.frontdesk.plugins.accesscontrol;

import io.frontdesk.api.exchange.AttributeKey;
import io.frontdesk.api.exchange.Exchange;
import io.frontdesk.api.filter.Filter;
import io.frontdesk.api.filter.FilterResult;
import io.frontdesk.api.filter.LocalResponse;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/** Lets a request pass or answers it with 403 (by default), by client address. */
final class AccessControlFilter implements Filter {

  /** Shown in the access log and the tracer: "allow 10.0.0.0/8", "deny default", … */
  static final AttributeKey<String> DECISION = AttributeKey.of("access-control.decision", String.class);

  private final List<IpRange> allow;
  private final List<IpRange> deny;
  private final boolean allowByDefault;
  private final int status;

  AccessControlFilter(List<IpRange> allow, List<IpRange> deny, boolean allowByDefault, int status) {
    this.allow = allow;
    this.deny = deny;
    this.allowByDefault = allowByDefault;
    this.status = status;
  }

  @Override
  public Future<FilterResult> onRequest(Exchange exchange) {
    InetAddress client = IpRange.literal(exchange.clientIp());
    if (client == null) {
      return refuse(exchange, "deny: unknown client address '" + exchange.clientIp() + "'");
    }
    for (IpRange r : deny) {
      if (r.contains(client)) {
        return refuse(exchange, "deny " + r);
      }
    }
    for (IpRange r : allow) {
      if (r.contains(client)) {
        exchange.attributes().put(DECISION, "allow " + r);
        return FilterResult.proceed();
      }
    }
    if (allowByDefault) {
      exchange.attributes().put(DECISION, "allow default");
      return FilterResult.proceed();
    }
    return refuse(exchange, "deny default");
  }

  private Future<FilterResult> refuse(Exchange exchange, String decision) {
    exchange.attributes().put(DECISION, decision);
    return FilterResult.respond(LocalResponse.of(status, "client " + exchange.clientIp() + " refused: " + decision));
  }
}
