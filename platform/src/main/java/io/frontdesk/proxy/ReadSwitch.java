package io.frontdesk.proxy;

import io.netty.channel.Channel;

/**
 * A channel's reading, switched off while any of several reasons holds it (a bit each: a filter
 * deciding, the other side's back-pressure, a pipelined request waiting) and on again when the last
 * one lets go. Owned by one connection and used from its event loop only.
 */
final class ReadSwitch {

  private final Channel channel;
  private int blockers;

  ReadSwitch(Channel channel) {
    this.channel = channel;
  }

  void block(int reason) {
    if (blockers == 0) {
      channel.config().setAutoRead(false);
    }
    blockers |= reason;
  }

  /** @param resume whether reading may start again once nothing blocks it (not while closing) */
  void unblock(int reason, boolean resume) {
    if ((blockers & reason) == 0) {
      return;
    }
    blockers &= ~reason;
    if (blockers == 0 && resume) {
      channel.config().setAutoRead(true);
    }
  }

  /** Forgets every reason and reads again (a pooled connection changing hands). */
  void reset() {
    blockers = 0;
    channel.config().setAutoRead(true);
  }
}
