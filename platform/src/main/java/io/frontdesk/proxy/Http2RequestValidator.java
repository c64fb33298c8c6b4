package io.frontdesk.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of each HTTP/2 stream: a request head that RFC 9113 section 8 calls malformed gets
 * RST_STREAM PROTOCOL_ERROR and goes no further, so it is never forwarded and the stream never stays
 * open. Netty's codec already rejects unknown, duplicate, misplaced or response pseudo-headers,
 * uppercase names, connection-specific fields, TE other than "trailers", pseudo-headers in trailers
 * and a content-length that the DATA frames contradict; this adds what it leaves to the application:
 * the mandatory pseudo-headers, field values, and Host against :authority.
 *
 * <p>It also keeps stream errors that Netty reports to the stream from the handlers after it: Netty
 * resets the stream with the error's own code next, where closing the stream would send CANCEL.
 */
final class Http2RequestValidator extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2RequestValidator.class);
  private static final AsciiString CONNECT = AsciiString.cached("CONNECT");
  private static final AsciiString OPTIONS = AsciiString.cached("OPTIONS");
  private static final AsciiString HOST = AsciiString.cached("host");

  private boolean headSeen;
  private boolean rejected;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof Http2HeadersFrame head) {
      String problem = headSeen ? trailerProblem(head.headers()) : problem(head.headers());
      headSeen = true;
      if (problem != null) {
        rejected = true;
        log.debug("stream {} of {}: malformed request ({}); reset", head.stream() == null ? 0 : head.stream().id(),
            ctx.channel().parent().remoteAddress(), problem);
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2Exception) {
      log.debug("stream error on {}: {}", ctx.channel(), cause.toString());
      return; // Http2MultiplexHandler resets the stream with the right code right after this
    }
    ctx.fireExceptionCaught(cause);
  }

  /** @return why this request head is malformed, or null when it is well-formed */
  static String problem(Http2Headers h) {
    CharSequence method = h.method();
    if (method == null || method.length() == 0) {
      return "no :method";
    }
    if (!isToken(method)) {
      return ":method is not a token";
    }
    CharSequence scheme = h.scheme();
    CharSequence path = h.path();
    CharSequence authority = h.authority();
    if (AsciiString.contentEquals(CONNECT, method) && h.get(Http2Headers.PseudoHeaderName.PROTOCOL.value()) == null) {
      if (scheme != null || path != null) {
        return "CONNECT with :scheme or :path";
      }
      if (authority == null || authority.length() == 0) {
        return "CONNECT without :authority";
      }
    } else {
      if (scheme == null || scheme.length() == 0) {
        return "no :scheme";
      }
      if (path == null || path.length() == 0) {
        return "no :path";
      }
      boolean asterisk = path.length() == 1 && path.charAt(0) == '*' && AsciiString.contentEquals(OPTIONS, method);
      if (path.charAt(0) != '/' && !asterisk) {
        return ":path neither absolute nor '*' for OPTIONS";
      }
      if (!visible(path, false)) {
        return ":path with a space or control character"; // it would break the HTTP/1 request line
      }
    }
    if (authority != null && !visible(authority, true)) {
      return ":authority with userinfo, a space or a control character";
    }
    List<CharSequence> hosts = h.getAll(HOST);
    if (hosts.size() > 1) {
      return "several Host fields";
    }
    if (hosts.size() == 1 && authority != null && !AsciiString.contentEqualsIgnoreCase(hosts.get(0), authority)) {
      return "Host differs from :authority";
    }
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (!validValue(e.getValue())) {
        return "invalid value of " + e.getKey();
      }
    }
    return null;
  }

  /** @return why these trailers are malformed (Netty already refuses pseudo-headers there), or null */
  static String trailerProblem(Http2Headers h) {
    for (Map.Entry<CharSequence, CharSequence> e : h) {
      if (!validValue(e.getValue())) {
        return "invalid value of trailer " + e.getKey();
      }
    }
    return null;
  }

  /** RFC 9113 8.2.1: no NUL, CR or LF anywhere, no leading or trailing space or tab. */
  private static boolean validValue(CharSequence v) {
    int n = v.length();
    if (n == 0) {
      return true;
    }
    if (isBlank(v.charAt(0)) || isBlank(v.charAt(n - 1))) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 5.6.2 token: visible ASCII except delimiters. */
  private static boolean isToken(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** @return whether {@code s} is visible characters only (and no '@' when {@code noAt}) */
  private static boolean visible(CharSequence s, boolean noAt) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c == 0x7f || (noAt && c == '@')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
