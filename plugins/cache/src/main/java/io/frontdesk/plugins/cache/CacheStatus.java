package io.frontdesk.plugins.cache;

/**
 * One member of the {@code Cache-Status} response field (RFC 9211): what this cache did with the
 * request — {@code hit}, or {@code fwd} with why it went to the origin (and the status the origin
 * gave), whether the response was stored, its remaining freshness ({@code ttl}, negative when
 * stale), whether it waited on another request ({@code collapsed}), and a free-form detail.
 */
final class CacheStatus {

  /** Why a request went forward (RFC 9211 2.2). */
  enum Fwd {
    BYPASS("bypass"), METHOD("method"), URI_MISS("uri-miss"), VARY_MISS("vary-miss"), MISS("miss"),
    REQUEST("request"), STALE("stale");

    final String token;

    Fwd(String token) {
      this.token = token;
    }
  }

  private final String cacheName;
  private boolean hit;
  private Fwd fwd;
  private int fwdStatus;
  private Long ttl;
  private boolean stored;
  private boolean collapsed;
  private String detail;
  private String text;

  CacheStatus(String cacheName) {
    this.cacheName = cacheName;
  }

  CacheStatus hit() {
    text = null;
    hit = true;
    fwd = null;
    return this;
  }

  CacheStatus fwd(Fwd why) {
    text = null;
    fwd = why;
    hit = false;
    return this;
  }

  /** Neither a hit nor forwarded (an {@code only-if-cached} request answered 504). */
  CacheStatus none() {
    text = null;
    hit = false;
    fwd = null;
    return this;
  }

  CacheStatus fwdStatus(int status) {
    text = null;
    fwdStatus = status;
    return this;
  }

  /** Sets the remaining freshness; {@link Long#MIN_VALUE} clears it. */
  CacheStatus ttl(long seconds) {
    text = null;
    ttl = seconds == Long.MIN_VALUE ? null : seconds;
    return this;
  }

  CacheStatus stored(boolean s) {
    text = null;
    stored = s;
    return this;
  }

  CacheStatus collapsed() {
    text = null;
    collapsed = true;
    return this;
  }

  CacheStatus detail(String d) {
    text = null;
    detail = d;
    return this;
  }

  boolean isHit() {
    return hit;
  }

  Fwd fwd() {
    return fwd;
  }

  /** @return the member as it goes into the field, e.g. {@code Frontdesk; hit; ttl=42} */
  @Override
  public String toString() {
    if (text == null) {
      text = render();
    }
    return text;
  }

  private String render() {
    StringBuilder b = new StringBuilder(48).append(cacheName);
    if (hit) {
      b.append("; hit");
    } else if (fwd != null) {
      b.append("; fwd=").append(fwd.token);
      if (fwdStatus > 0) {
        b.append("; fwd-status=").append(fwdStatus);
      }
    }
    if (ttl != null) {
      b.append("; ttl=").append(ttl);
    }
    if (stored) {
      b.append("; stored");
    }
    if (collapsed) {
      b.append("; collapsed");
    }
    if (detail != null) {
      b.append("; detail=\"").append(detail.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return b.toString();
  }
}
