package io.culvert.engine.transport.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a TCP tunnel through an HTTP proxy with {@code CONNECT}, answering a 407 with Basic credentials (on a fresh
 * connection, since proxies often close after a 407). Stateless apart from its settings; one connection per call.
 */
public final class HttpProxyDialer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpProxyDialer.class);

    /** When credentials are sent. */
    public enum Auth {
        /** First without credentials; on a 407 offering Basic, again with them ({@code auto}, or no auth file). */
        AUTO,
        /** Like AUTO, but cleartext (Basic) is never sent ({@code auto-nct}). */
        AUTO_NCT,
        /** Basic credentials from the first request on (an auth file with method {@code basic}). */
        BASIC
    }

    private final InetSocketAddress proxy;
    private final Auth auth;
    private final HttpProxyOptions options;
    private final CredentialSource credentials;
    private final Connector connector;

    public HttpProxyDialer(InetSocketAddress proxy, Auth auth, HttpProxyOptions options, CredentialSource credentials,
            Connector connector) {
        this.proxy = proxy;
        this.auth = auth;
        this.options = options;
        this.credentials = credentials;
        this.connector = connector;
    }

    /** A socket whose stream now reaches {@code host:port} through the proxy; the proxy resolves {@code host}. */
    public Socket open(String host, int port, Duration timeout) throws IOException {
        ProxyCredentials sent = auth == Auth.BASIC ? required(null) : null;
        for (int attempt = 0; ; attempt++) {
            Socket s = connector.connect(proxy, timeout);
            try {
                HttpConnectRequest request = new HttpConnectRequest(host, port, options, sent);
                LOG.debug("HTTP proxy {}: CONNECT {} HTTP/{}{}", proxy, request.authority(), options.version(),
                        sent != null ? " with Basic credentials" : "");
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write(request.toBytes());
                s.getOutputStream().flush();
                HttpResponseHead head = HttpResponseHead.read(s.getInputStream());
                if (head.success()) {
                    s.setSoTimeout(0);
                    LOG.info("HTTP proxy {} opened a tunnel to {}: {}", proxy, request.authority(), head.statusLine());
                    return s;
                }
                if (head.status() != 407) {
                    throw new ProxyException(ProxyException.Reason.REFUSED,
                            prefix(request) + " refused: " + head.statusLine(), head.statusLine());
                }
                if (sent != null) {
                    credentials.rejected();
                    throw new ProxyException(ProxyException.Reason.AUTH_REJECTED,
                            prefix(request) + " rejected the credentials: " + head.statusLine(),
                            head.statusLine());
                }
                sent = answer407(head, request);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            s.close();
            if (attempt > 0) {
                throw new IllegalStateException("unreachable: a second 407 always throws");
            }
        }
    }

    private ProxyCredentials answer407(HttpResponseHead head, HttpConnectRequest request) throws IOException {
        List<String> schemes = head.authSchemes();
        if (!schemes.isEmpty() && !schemes.contains("basic")) {
            throw new ProxyException(ProxyException.Reason.UNSUPPORTED_AUTH, prefix(request) + " asks for "
                    + String.join("/", schemes) + " authentication, which Culvert does not support (only Basic): "
                    + head.statusLine(), head.statusLine());
        }
        if (auth == Auth.AUTO_NCT) {
            throw new ProxyException(ProxyException.Reason.UNSUPPORTED_AUTH, prefix(request)
                    + " only offers Basic (cleartext) authentication, which auto-nct forbids: " + head.statusLine(),
                    head.statusLine());
        }
        return required(head.statusLine());
    }

    private ProxyCredentials required(String statusLine) throws IOException {
        ProxyCredentials c = credentials.credentials();
        if (c == null) {
            throw new ProxyException(ProxyException.Reason.AUTH_REQUIRED, "HTTP proxy " + proxy
                    + " requires authentication and no credentials are configured"
                    + (statusLine == null ? "" : ": " + statusLine), statusLine);
        }
        return c;
    }

    private String prefix(HttpConnectRequest request) {
        return "HTTP proxy " + proxy + " CONNECT " + request.authority();
    }
}
