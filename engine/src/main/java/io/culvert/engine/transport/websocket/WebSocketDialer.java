package io.culvert.engine.transport.websocket;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The client's way into a WebSocket remote, over a socket already connected to the server (or tunnelled to it through
 * a proxy): TLS for {@code wss} with the host name checked and sent as SNI, then the HTTP/1.1 upgrade.
 */
public final class WebSocketDialer {
    /** Largest answer head read from the server. */
    public static final int MAX_HEAD = 8 * 1024;

    private WebSocketDialer() {}

    /**
     * Upgrades {@code s} to a WebSocket transport for {@code url}; {@code tls} makes the TLS layer for {@code wss}
     * (certificate and host name checked). The whole exchange may take {@code timeout}. Closes {@code s} on failure.
     */
    public static WebSocketTransport open(Socket s, WebSocketUrl url, SSLSocketFactory tls, Duration timeout)
            throws IOException {
        return open(s, url, tls, null, timeout);
    }

    /** As {@link #open(Socket, WebSocketUrl, SSLSocketFactory, Duration)}, the upgrade carrying {@code token} (null: none). */
    public static WebSocketTransport open(Socket s, WebSocketUrl url, SSLSocketFactory tls, BearerToken token,
            Duration timeout) throws IOException {
        Socket conn = s;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            if (url.secure()) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(s, url.host(), url.port(), true);
                conn = ssl;
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setApplicationProtocols(new String[] {"http/1.1"});
                ssl.setSSLParameters(p);
                ssl.startHandshake();
            }
            OutputStream out = conn.getOutputStream();
            InputStream in = new BufferedInputStream(conn.getInputStream(), 64 * 1024);
            String key = Handshake.newKey(new SecureRandom());
            out.write(Handshake.request(url.hostHeader(), url.path(), key, token));
            out.flush();
            Handshake.checkResponse(Handshake.readHead(in, MAX_HEAD), key);
            conn.setSoTimeout(0);
            WebSocketTransport t = new WebSocketTransport(conn, in, out, true,
                    InetSocketAddress.createUnresolved(url.host(), url.port()));
            t.startPings(WebSocketTransport.PING_INTERVAL);
            return t;
        } catch (IOException | RuntimeException e) {
            conn.close();
            s.close();
            throw e;
        }
    }
}
