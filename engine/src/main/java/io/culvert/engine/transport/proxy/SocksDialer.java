package io.culvert.engine.transport.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a TCP stream (CONNECT) or a UDP association (UDP ASSOCIATE) through a SOCKS5 proxy, with no
 * authentication or username/password. Stateless apart from its settings; one connection per call.
 */
public final class SocksDialer {
    private static final Logger LOG = LoggerFactory.getLogger(SocksDialer.class);

    private final InetSocketAddress proxy;
    private final CredentialSource credentials;
    private final Connector connector;

    /** {@code credentials} is {@link CredentialSource#NONE} when the profile gives no auth file. */
    public SocksDialer(InetSocketAddress proxy, CredentialSource credentials, Connector connector) {
        this.proxy = proxy;
        this.credentials = credentials;
        this.connector = connector;
    }

    /** A socket whose stream now reaches {@code host:port}; the proxy resolves {@code host}. */
    public Socket connect(String host, int port, Duration timeout) throws IOException {
        Socket s = handshake(Socks5.CONNECT, host, port, timeout).socket();
        LOG.info("SOCKS proxy {} connected to {}:{}", proxy, host, port);
        return s;
    }

    /**
     * A UDP association: the control connection, which must stay open while the association lives, and the
     * relay address datagrams go to.
     */
    public Association associate(Duration timeout) throws IOException {
        Opened opened = handshake(Socks5.UDP_ASSOCIATE, "0.0.0.0", 0, timeout);
        InetSocketAddress relay = relayOf(opened.reply(), opened.socket());
        LOG.info("SOCKS proxy {} relays UDP at {}", proxy, relay);
        return new Association(opened.socket(), relay);
    }

    /** An open UDP association. */
    public record Association(Socket control, InetSocketAddress relay) {}

    private record Opened(Socket socket, Socks5.Reply reply) {}

    private Opened handshake(int command, String host, int port, Duration timeout) throws IOException {
        Socket s = connector.connect(proxy, timeout);
        try {
            s.setSoTimeout((int) timeout.toMillis());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            ProxyCredentials c = credentials.credentials();
            out.write(Socks5.greeting(c != null));
            out.flush();
            int method = Socks5.readMethodChoice(in);
            if (method == Socks5.USER_PASS && c != null) {
                out.write(Socks5.passwordRequest(c));
                out.flush();
                if (!Socks5.readPasswordStatus(in)) {
                    credentials.rejected();
                    throw new ProxyException(ProxyException.Reason.AUTH_REJECTED,
                            "SOCKS proxy " + proxy + " rejected the credentials");
                }
            } else if (method == Socks5.NO_ACCEPTABLE) {
                throw new ProxyException(c == null ? ProxyException.Reason.AUTH_REQUIRED : ProxyException.Reason.UNSUPPORTED_AUTH,
                        "SOCKS proxy " + proxy + " accepts none of our authentication methods ("
                                + (c == null ? "none offered but no-auth; configure an auth file" : "no-auth, username/password") + ")");
            } else if (method != Socks5.NO_AUTH) {
                throw new ProxyException(ProxyException.Reason.MALFORMED,
                        "SOCKS proxy " + proxy + " chose authentication method " + method + ", which we did not offer");
            }
            out.write(Socks5.request(command, host, port));
            out.flush();
            Socks5.Reply reply = Socks5.readReply(in);
            if (!reply.succeeded()) {
                throw new ProxyException(ProxyException.Reason.REFUSED, "SOCKS proxy " + proxy + " refused "
                        + (command == Socks5.CONNECT ? "CONNECT " + host + ":" + port : "UDP ASSOCIATE") + ": "
                        + Socks5.replyText(reply.code()));
            }
            s.setSoTimeout(0);
            return new Opened(s, reply);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The relay the reply names; an unspecified address means "the proxy's own address". */
    private static InetSocketAddress relayOf(Socks5.Reply reply, Socket control) {
        InetSocketAddress b = reply.bound();
        if (b.isUnresolved() || b.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(control.getInetAddress(), b.getPort());
        }
        return b;
    }
}
