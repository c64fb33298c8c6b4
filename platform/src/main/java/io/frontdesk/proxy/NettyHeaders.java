package io.frontdesk.proxy;

import io.frontdesk.api.http.Headers;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plugin API's {@link Headers} over Netty's headers, without copying. */
final class NettyHeaders implements Headers {

  /** For headers that can be read only: every change is refused. */
  static final Runnable READ_ONLY = () -> {
    throw new UnsupportedOperationException("these headers are read-only");
  };

  private final HttpHeaders headers;
  private final Runnable beforeChange;

  NettyHeaders(HttpHeaders headers) {
    this(headers, null);
  }

  /** @param beforeChange runs before every change; throws when the headers may no longer change */
  NettyHeaders(HttpHeaders headers, Runnable beforeChange) {
    this.headers = headers;
    this.beforeChange = beforeChange;
  }

  private void changing() {
    if (beforeChange != null) {
      beforeChange.run();
    }
  }

  @Override
  public String get(CharSequence name) {
    return headers.get(name);
  }

  @Override
  public List<String> getAll(CharSequence name) {
    return headers.getAll(name);
  }

  @Override
  public boolean contains(CharSequence name) {
    return headers.contains(name);
  }

  @Override
  public Headers set(CharSequence name, CharSequence value) {
    changing();
    headers.set(name, value);
    return this;
  }

  @Override
  public Headers add(CharSequence name, CharSequence value) {
    changing();
    headers.add(name, value);
    return this;
  }

  @Override
  public Headers remove(CharSequence name) {
    changing();
    headers.remove(name);
    return this;
  }

  @Override
  public Set<String> names() {
    return headers.names();
  }

  @Override
  public int size() {
    return headers.size();
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return headers.iteratorAsString();
  }
}
