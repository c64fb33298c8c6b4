package io.frontdesk.plugins.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * A response on its way into the store: its head once the origin's answer is known to be
 * storable, then its body chunk by chunk, then done (stored) or failed. Requests collapsed onto it
 * (RFC 9111 4, "collapsed requests") follow it from any event loop: a listener hears of every
 * change and reads what it needs; chunks stay readable until the last reader lets go.
 */
final class Fill {

  /** Where the fill stands. */
  enum State { WAITING, STREAMING, DONE, FAILED }

  private final List<byte[]> chunks = new ArrayList<>();
  private final List<Runnable> listeners = new ArrayList<>(2);
  private State state = State.WAITING;
  private StoredHead head;
  private long expectedLength = -1;
  private long size;
  private StoredResponse result;

  /** The origin's head is storable: readers may start. */
  void head(StoredHead h, long length) {
    synchronized (this) {
      if (state != State.WAITING) {
        return;
      }
      head = h;
      expectedLength = length;
      state = State.STREAMING;
    }
    notifyListeners();
  }

  /** Adds a chunk (the fill keeps {@code bytes}: hand it a copy). */
  void append(byte[] bytes) {
    synchronized (this) {
      if (state != State.STREAMING) {
        return;
      }
      chunks.add(bytes);
      size += bytes.length;
    }
    notifyListeners();
  }

  /** @return the stored response made of the head and every chunk, or {@code null} when the fill failed */
  StoredResponse complete() {
    synchronized (this) {
      if (state != State.STREAMING) {
        return null;
      }
      byte[] body = new byte[(int) size];
      int at = 0;
      for (byte[] c : chunks) {
        System.arraycopy(c, 0, body, at, c.length);
        at += c.length;
      }
      result = new StoredResponse(head, body.length == 0 ? Body.InMemory.EMPTY : new Body.InMemory(body));
      state = State.DONE;
    }
    notifyListeners();
    return result;
  }

  /** The response will not be stored (not storable, too large, cut short): readers must look elsewhere. */
  void fail() {
    synchronized (this) {
      if (state == State.DONE || state == State.FAILED) {
        return;
      }
      state = State.FAILED;
      chunks.clear();
    }
    notifyListeners();
  }

  /** Runs {@code r} (on the calling thread) after every change from now on. */
  void listen(Runnable r) {
    synchronized (listeners) {
      listeners.add(r);
    }
  }

  void unlisten(Runnable r) {
    synchronized (listeners) {
      listeners.remove(r);
    }
  }

  private void notifyListeners() {
    Runnable[] now;
    synchronized (listeners) {
      now = listeners.toArray(Runnable[]::new);
    }
    for (Runnable r : now) {
      r.run();
    }
  }

  synchronized State state() {
    return state;
  }

  synchronized StoredHead storedHead() {
    return head;
  }

  synchronized long expectedLength() {
    return expectedLength;
  }

  synchronized long size() {
    return size;
  }

  /** @return chunk {@code i}, or {@code null} when it has not arrived (or the fill failed) */
  synchronized byte[] chunk(int i) {
    return i < chunks.size() ? chunks.get(i) : null;
  }

  synchronized StoredResponse result() {
    return result;
  }
}
