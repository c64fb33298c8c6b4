package io.frontdesk.proxy;

import io.frontdesk.api.http.Headers;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plugin API's {@link Headers} over Netty's headers, without copying. */
final class NettyHeaders implements Headers {

  private final HttpHeaders headers;

  NettyHeaders(HttpHeaders headers) {
    this.headers = headers;
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
    headers.set(name, value);
    return this;
  }

  @Override
  public Headers add(CharSequence name, CharSequence value) {
    headers.add(name, value);
    return this;
  }

  @Override
  public Headers remove(CharSequence name) {
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
