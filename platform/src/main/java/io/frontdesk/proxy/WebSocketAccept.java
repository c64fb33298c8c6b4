package io.frontdesk.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks an upstream's 101 before a connection becomes a tunnel: it must switch to the protocol the
 * client asked for and, for WebSocket, prove it read the client's key (RFC 6455 4.2.2).
 */
final class WebSocketAccept {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WebSocketAccept() {
  }

  /** @return why the switch is refused, or {@code null} when it is the one asked for */
  static String checkSwitch(String requested, HttpHeaders request, HttpHeaders response) {
    String to = response.get(HttpHeaderNames.UPGRADE);
    if (to == null || !to.trim().equalsIgnoreCase(requested)) {
      return "switched to '" + to + "', not to the requested '" + requested + "'";
    }
    if (requested.equalsIgnoreCase("websocket")) {
      String key = request.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
      String accept = response.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
      if (key == null || accept == null || !accept.trim().equals(of(key.trim()))) {
        return "Sec-WebSocket-Accept does not answer the request's Sec-WebSocket-Key";
      }
    }
    return null;
  }

  /** @return the {@code Sec-WebSocket-Accept} value for a {@code Sec-WebSocket-Key} */
  static String of(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
