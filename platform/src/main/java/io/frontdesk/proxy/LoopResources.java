package io.frontdesk.proxy;

import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;

/**
 * What belongs to one event loop: its index (for per-loop balancers), its upstream pool, its
 * timeout sweeper, and a Vert.x context bound to it so filters' futures and executeBlocking results
 * come back to it.
 */
record LoopResources(int index, EventLoop loop, ContextInternal context, UpstreamPool pool, LoopSweeper sweeper) {
}
