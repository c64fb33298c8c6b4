package io.frontdesk.proxy;

/**
 * What one HTTP/2 client connection may use.
 *
 * @param maxConcurrentStreams streams open at once (SETTINGS_MAX_CONCURRENT_STREAMS); each is one
 *     exchange with its own upstream connection, so this also bounds the upstream connections one
 *     client connection holds; a stream past it is refused (RST_STREAM REFUSED_STREAM)
 * @param maxHeaderListSize largest decoded header list of a request (SETTINGS_MAX_HEADER_LIST_SIZE)
 * @param maxResetsSentPer30s stream resets the proxy sends on one connection within 30 s (malformed
 *     requests, stream errors) before it ends the connection with GOAWAY ENHANCE_YOUR_CALM
 */
public record Http2Limits(int maxConcurrentStreams, int maxHeaderListSize, int maxResetsSentPer30s) {

  public Http2Limits(int maxConcurrentStreams, int maxHeaderListSize) {
    this(maxConcurrentStreams, maxHeaderListSize, 1000);
  }

  public Http2Limits {
    if (maxConcurrentStreams < 1 || maxHeaderListSize < 1 || maxResetsSentPer30s < 1) {
      throw new IllegalArgumentException("HTTP/2 limits must be positive");
    }
  }
}
