package io.frontdesk.proxy;

import java.net.InetSocketAddress;

/**
 * What an exchange may know of its client connection, fixed when the connection starts.
 *
 * @param http2 one HTTP/2 stream (else an HTTP/1 connection)
 * @param scheme {@code http} or {@code https}
 * @param peer the client's socket address, or {@code null} when it is not an IP socket
 * @param peerIp the peer's address as text ({@code unknown} without one)
 * @param localPort the port the client connected to, for {@code X-Forwarded-Port}
 */
record ConnectionFacts(boolean http2, String scheme, InetSocketAddress peer, String peerIp, String localPort) {
}
