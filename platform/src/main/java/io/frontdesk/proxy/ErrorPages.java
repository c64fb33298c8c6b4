package io.frontdesk.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Frontdesk's own error responses: a short, fixed text per status in HTML or JSON (by the client's
 * {@code Accept}). Never names an upstream, address or internal reason; the access log has those.
 */
final class ErrorPages {

  private ErrorPages() {
  }

  static String message(int status) {
    return switch (status) {
      case 400 -> "The request is malformed.";
      case 403 -> "Access to this resource is denied.";
      case 404 -> "Nothing is configured to answer this request.";
      case 408 -> "The request took too long to arrive.";
      case 413 -> "The request body is too large.";
      case 414 -> "The request URI is too long.";
      case 429 -> "Too many requests. Try again later.";
      case 431 -> "The request headers are too large.";
      case 501 -> "The request uses a feature this server does not support.";
      case 500 -> "Something went wrong while handling the request.";
      case 502 -> "The server behind this site could not be reached.";
      case 503 -> "The service is temporarily unavailable.";
      case 504 -> "The server behind this site did not answer in time.";
      default -> "The request could not be completed.";
    };
  }

  static boolean prefersJson(String accept) {
    if (accept == null) {
      return false;
    }
    int json = accept.indexOf("json");
    if (json < 0) {
      return false;
    }
    int html = accept.indexOf("text/html");
    return html < 0 || json < html;
  }

  static FullHttpResponse render(ByteBufAllocator alloc, int status, String accept, String requestId,
      boolean headRequest) {
    HttpResponseStatus s = HttpResponseStatus.valueOf(status);
    boolean json = prefersJson(accept);
    String body;
    if (json) {
      body = "{\"status\":" + status + ",\"error\":\"" + s.reasonPhrase() + "\",\"message\":\""
          + message(status) + "\"" + (requestId == null ? "" : ",\"requestId\":\"" + jsonEscape(requestId) + "\"") + "}\n";
    } else {
      body = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + status + " " + s.reasonPhrase()
          + "</title></head>\n<body style=\"font-family:system-ui,sans-serif;margin:3em\"><h1>" + status + " "
          + s.reasonPhrase() + "</h1>\n<p>" + message(status) + "</p>"
          + (requestId == null ? "" : "\n<p><small>Request id: " + htmlEscape(requestId) + "</small></p>")
          + "\n<hr><p><small>Frontdesk</small></p></body></html>\n";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = headRequest ? alloc.buffer(0) : alloc.buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json" : "text/html; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  /** A trusted peer's request id is visible ASCII, which still holds markup and quotes. */
  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String jsonEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
