package io.frontdesk.api.exchange;

/**
 * Facts about the TLS session a client used to reach Frontdesk.
 *
 * @param protocol the negotiated protocol, e.g. {@code TLSv1.3}
 * @param cipherSuite the negotiated cipher suite
 * @param serverName the SNI host name the client sent, or {@code null}
 * @param alpn the negotiated application protocol ({@code h2}, {@code http/1.1}), or {@code null}
 */
public record TlsInfo(String protocol, String cipherSuite, String serverName, String alpn) {
}
