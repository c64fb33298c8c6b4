package io.frontdesk.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@link ClientConnection} in an {@link EmbeddedChannel} behind an HTTP response encoder, and
 * the {@link Downstream} of one exchange on it: what the exchange's pieces write can be read back
 * as the bytes a client would get. No sockets, no server (the connection's server is never asked in
 * these paths), no event loop but the channel's own.
 */
final class EmbeddedClient implements Downstream.Events {

  final EmbeddedChannel channel;
  final ClientConnection connection;
  final Downstream downstream;
  final List<HttpContent> body = new ArrayList<>();
  final List<String> refusals = new ArrayList<>();
  /** Whether an upstream takes the body now. */
  boolean upstreamReady = true;

  EmbeddedClient() {
    channel = new EmbeddedChannel();
    LoopResources loop = new LoopResources(0, channel.eventLoop(), null, null, new LoopSweeper(channel.eventLoop()));
    connection = new ClientConnection(null, loop, false, "http");
    channel.pipeline().addLast(new HttpResponseEncoder(), connection);
    downstream = new Downstream(connection, this);
  }

  static HttpRequest request(HttpMethod method, HttpVersion version, String uri, String... headers) {
    HttpRequest r = new DefaultHttpRequest(version, method, uri);
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  /** @return an intake of {@code request} as a plain HTTP/1 client sent it, identified and framed */
  static RequestIntake intake(HttpRequest request) {
    RequestIntake intake = new RequestIntake(request, false);
    HopByHop.Scan scan = HopByHop.scan(request.headers(), new HopByHop.Scan());
    intake.readConnection(scan);
    intake.identify(scan, false, "127.0.0.1", null);
    return intake;
  }

  /** @return everything written to the client so far, as text */
  String written() {
    StringBuilder sb = new StringBuilder();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      sb.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return sb.toString();
  }

  @Override
  public boolean upstreamReady() {
    return upstreamReady;
  }

  @Override
  public void body(HttpContent c) {
    body.add(c);
  }

  @Override
  public void bodyRefused(int code, String why) {
    refusals.add(code + " " + why);
  }

  @Override
  public void readComplete() {
  }

  @Override
  public void clientWritable() {
  }

  @Override
  public void clientClosed() {
  }
}
