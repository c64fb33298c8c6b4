package io.frontdesk.upstream;

import io.frontdesk.config.ActiveHealthCheck;
import io.frontdesk.config.PassiveHealth;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The health work that runs beside traffic, on a context of its own: active checks (an HTTP
 * request or a TCP connect per target on a timer) and, once a second, the error share of each
 * target over its upstream's window (passive detection of a target that fails some requests, not
 * all in a row). Each node judges for itself, as nginx and Envoy nodes do.
 */
public final class HealthChecks implements AutoCloseable {

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final NetClient tcp;
  private final Map<String, Probe> probes = new HashMap<>();
  private final Map<TargetState, ArrayDeque<long[]>> history = new HashMap<>();
  private List<CompiledUpstream> upstreams = List.of();
  private final long windowTimer;

  /** One target being probed. */
  private final class Probe {
    final ActiveHealthCheck cfg;
    final TargetState state;
    volatile CompiledTarget target;
    final long timer;
    boolean inFlight;

    Probe(ActiveHealthCheck cfg, CompiledTarget target) {
      this.cfg = cfg;
      this.target = target;
      this.state = target.state();
      // A random first delay spreads the checks of many targets over the interval.
      long first = 1 + ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(cfg.intervalMs(), 1000)));
      this.timer = vertx.setTimer(first, id -> {
        run();
        vertx.setPeriodic(cfg.intervalMs(), p -> {
          if (probes.get(key(state)) != this) {
            vertx.cancelTimer(p);
            return;
          }
          run();
        });
      });
    }

    void run() {
      if (inFlight) {
        return;
      }
      inFlight = true;
      CompiledTarget t = target;
      Future<String> check = cfg.type().equals("tcp") ? tcpCheck(t) : httpCheck(t);
      Promise<String> done = Promise.promise();
      long timeout = vertx.setTimer(cfg.timeoutMs(), id -> done.tryFail("no answer within " + cfg.timeoutMs() + " ms"));
      check.onComplete(ar -> {
        vertx.cancelTimer(timeout);
        if (ar.succeeded()) {
          done.tryComplete(ar.result());
        } else {
          done.tryFail(ar.cause());
        }
      });
      done.future().onComplete(ar -> {
        inFlight = false;
        if (probes.get(key(state)) != this) {
          return; // replaced or removed meanwhile
        }
        if (ar.succeeded()) {
          state.checkResult(true, ar.result(), cfg);
        } else {
          state.checkResult(false, String.valueOf(ar.cause().getMessage()), cfg);
        }
      });
    }

    private Future<String> httpCheck(CompiledTarget t) {
      String where = cfg.method() + " " + cfg.path();
      RequestOptions o = new RequestOptions().setHost(t.host()).setPort(t.port()).setURI(cfg.path())
          .setMethod(HttpMethod.valueOf(cfg.method())).setConnectTimeout(cfg.timeoutMs())
          .putHeader("host", cfg.host() != null ? cfg.host() : t.hostHeader())
          .putHeader("user-agent", "frontdesk-health-check");
      return http.request(o).compose(req -> req.send()).compose(resp -> {
        int status = resp.statusCode();
        if (!cfg.statusOk(status)) {
          return resp.end().transform(x -> Future.failedFuture(where + " answered " + status));
        }
        if (cfg.bodyContains() == null) {
          return resp.end().map(x -> where + " answered " + status);
        }
        return resp.body().compose(b -> b.toString().contains(cfg.bodyContains())
            ? Future.succeededFuture(where + " answered " + status)
            : Future.failedFuture(where + " answered " + status + " without '" + cfg.bodyContains() + "'"));
      }).recover(e -> Future.failedFuture(e instanceof io.vertx.core.VertxException || e.getMessage() == null
          ? where + " failed: " + e : e.getMessage().startsWith(where) ? e.getMessage() : where + " failed: " + e.getMessage()));
    }

    private Future<String> tcpCheck(CompiledTarget t) {
      return tcp.connect(t.port(), t.host()).compose(so -> so.close().map("connected"))
          .recover(e -> Future.failedFuture("connect failed: " + e.getMessage()));
    }
  }

  public HealthChecks(Vertx vertx) {
    this.vertx = vertx;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(5000),
        new PoolOptions().setHttp1MaxSize(64));
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
    this.windowTimer = vertx.setPeriodic(1000, id -> context.runOnContext(v -> evaluateErrorRates()));
  }

  /** Follows a new configuration: starts, changes and stops probes; sets each pool's members. */
  public void apply(Collection<CompiledUpstream> current) {
    List<CompiledUpstream> list = List.copyOf(current);
    context.runOnContext(v -> {
      upstreams = list;
      Set<String> wanted = new HashSet<>();
      for (CompiledUpstream u : list) {
        List<TargetState> members = new ArrayList<>();
        for (CompiledTarget t : u.targets()) {
          members.add(t.state());
        }
        u.state().members(members);
        ActiveHealthCheck cfg = u.config().activeHealth();
        for (CompiledTarget t : u.targets()) {
          if (cfg == null) {
            if (t.state().verdict() != TargetState.Verdict.UNKNOWN) {
              t.state().clearVerdict();
            }
            continue;
          }
          String k = key(t.state());
          wanted.add(k);
          Probe existing = probes.get(k);
          if (existing != null && existing.cfg.equals(cfg)) {
            existing.target = t;
          } else {
            if (existing != null) {
              vertx.cancelTimer(existing.timer);
            }
            probes.put(k, new Probe(cfg, t));
          }
        }
      }
      probes.entrySet().removeIf(e -> {
        if (!wanted.contains(e.getKey())) {
          vertx.cancelTimer(e.getValue().timer);
          return true;
        }
        return false;
      });
    });
  }

  private static String key(TargetState s) {
    return System.identityHashCode(s) + "|" + s.address();
  }

  /** Ejects targets whose error share over the window is too high. */
  private void evaluateErrorRates() {
    Set<TargetState> seen = new HashSet<>();
    for (CompiledUpstream u : upstreams) {
      PassiveHealth p = u.config().passiveHealth();
      if (!p.enabled() || p.errorRatePercent() == 0) {
        continue;
      }
      int samples = Math.max(1, p.windowMs() / 1000);
      for (CompiledTarget t : u.targets()) {
        TargetState s = t.state();
        seen.add(s);
        ArrayDeque<long[]> h = history.computeIfAbsent(s, k -> new ArrayDeque<>());
        h.addLast(new long[] {s.requests(), s.failures()});
        while (h.size() > samples + 1) {
          h.removeFirst();
        }
        long[] first = h.peekFirst();
        long[] last = h.peekLast();
        long total = last[0] - first[0];
        long errors = last[1] - first[1];
        if (total >= p.minRequests() && errors * 100 >= (long) p.errorRatePercent() * total) {
          s.ejectForErrorRate(p, errors, total);
          h.clear();
        }
      }
    }
    history.keySet().retainAll(seen);
  }

  @Override
  public void close() {
    vertx.cancelTimer(windowTimer);
    context.runOnContext(v -> {
      probes.values().forEach(p -> vertx.cancelTimer(p.timer));
      probes.clear();
    });
    http.close();
    tcp.close();
  }
}
