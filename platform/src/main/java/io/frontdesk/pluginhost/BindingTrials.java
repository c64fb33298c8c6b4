package io.frontdesk.pluginhost;

import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Runs the check of a binding being saved — which ends in the plugin factory's own trial
 * {@code create} — on two worker threads of its own, bounded by a timeout. A plugin whose
 * {@code create} blocks or loops then costs a worker thread and a 400, never the admin event loop
 * (which must keep answering) nor the shared worker pool.
 */
public final class BindingTrials {

  public static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
  static final String POOL = "frontdesk-binding-trial";

  private final WorkerExecutor workers;
  private final long timeoutMillis;

  public BindingTrials(Vertx vertx, long timeoutMillis) {
    this.workers = vertx.createSharedWorkerExecutor(POOL, 2);
    this.timeoutMillis = timeoutMillis;
  }

  /** @return the check's result, or a 400 ({@link InvalidConfigException} on {@code config}) after the timeout */
  public <T> Future<T> check(Callable<T> check) {
    return workers.executeBlocking(check, false).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(t -> Future.failedFuture(t instanceof java.util.concurrent.TimeoutException
            ? new InvalidConfigException("config", "the plugin did not accept or refuse this configuration within "
                + timeoutMillis + " ms")
            : t));
  }

  public void close() {
    workers.close();
  }
}
