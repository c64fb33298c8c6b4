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
  private final String key;
  private final long memoryMax;
  private final DiskTier disk;
  private State state = State.WAITING;
  private StoredHead head;
  private long expectedLength = -1;
  private long size;
  private StoredResponse result;
  /** Where the body goes once it is too large for memory; {@code null} while it is in memory. */
  private DiskWrite spilled;
  /** The body has ended whole ({@link #complete} was called); a spilled one may still be writing. */
  private boolean ended;

  /**
   * @param memoryMax the most body bytes held in memory; past it the body goes to {@code disk}
   * @param disk the disk tier, or {@code null} (then a larger body fails the fill)
   */
  Fill(String key, long memoryMax, DiskTier disk) {
    this.key = key;
    this.memoryMax = memoryMax;
    this.disk = disk;
  }

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
    boolean failNow = false;
    synchronized (this) {
      if (state != State.STREAMING) {
        return;
      }
      if (spilled == null && size + bytes.length > memoryMax) {
        if (disk == null) {
          failNow = true;
        } else {
          spilled = disk.begin(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
          for (byte[] c : chunks) {
            spilled.append(c);
          }
          chunks.clear(); // readers stream only bodies that fit in memory: none reads these
        }
      }
      if (!failNow) {
        if (spilled != null) {
          failNow = !spilled.append(bytes);
        } else {
          chunks.add(bytes);
        }
        size += bytes.length;
      }
    }
    if (failNow) {
      fail();
      return;
    }
    notifyListeners();
  }

  /**
   * Ends the body: the stored response is made of the head and every chunk — at once when it is in
   * memory, once its file is written when it went to disk; a failure fails the fill.
   */
  void complete() {
    DiskWrite w;
    synchronized (this) {
      if (state != State.STREAMING) {
        return;
      }
      ended = true;
      w = spilled;
    }
    if (w != null) {
      w.finish(key, head, r -> {
        if (r == null) {
          fail();
          return;
        }
        synchronized (this) {
          if (state != State.STREAMING) {
            return;
          }
          result = r;
          state = State.DONE;
        }
        notifyListeners();
      });
      return;
    }
    synchronized (this) {
      if (state != State.STREAMING) {
        return;
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
  }

  /** The response will not be stored (not storable, too large, cut short): readers must look elsewhere. */
  void fail() {
    DiskWrite w;
    synchronized (this) {
      if (state == State.DONE || state == State.FAILED) {
        return;
      }
      state = State.FAILED;
      chunks.clear();
      w = spilled;
    }
    if (w != null) {
      w.abort();
    }
    notifyListeners();
  }

  /** Fails the fill unless its body has ended whole (its exchange ended first: it never will). */
  void failUnlessEnded() {
    synchronized (this) {
      if (ended) {
        return;
      }
    }
    fail();
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
