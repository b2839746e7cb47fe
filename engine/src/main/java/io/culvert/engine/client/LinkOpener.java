package io.culvert.engine.client;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ProxyConfig;
import io.culvert.engine.config.WebSocketRemote;
import io.culvert.engine.transport.TcpTransport;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.transport.UdpTransport;
import io.culvert.engine.transport.proxy.Connector;
import io.culvert.engine.transport.proxy.CredentialSource;
import io.culvert.engine.transport.proxy.HttpProxyDialer;
import io.culvert.engine.transport.proxy.HttpProxyOptions;
import io.culvert.engine.transport.proxy.ProxyException;
import io.culvert.engine.transport.proxy.SocksDialer;
import io.culvert.engine.transport.proxy.SocksUdpTransport;
import io.culvert.engine.transport.websocket.WebSocketDialer;
import io.culvert.engine.transport.websocket.WebSocketUrl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens the link to one remote: directly, or through the remote's HTTP or SOCKS proxy, which then resolves the
 * server's name itself (except SOCKS over UDP, which relays to an address). Keeps the credentials the user gave
 * each proxy across reconnects. Used by the runner thread only; not thread-safe.
 */
final class LinkOpener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkOpener.class);
    /** An open link and the address its socket actually talks to (the server, or the proxy). */
    record Link(Transport transport, InetAddress peer) {}

    private final InetSocketAddress localBind;
    private final CredentialsProvider prompt;
    private final Map<ProxyConfig, ProxyPrompt> credentials = new IdentityHashMap<>();

    private final String bindDev;
    private final java.util.function.Consumer<String> warn;
    /** The profile's certificate and key, offered to a {@code wss} proxy that asks for a client certificate; or null. */
    private javax.net.ssl.X509KeyManager identity;

    LinkOpener(InetSocketAddress localBind, CredentialsProvider prompt) {
        this(localBind, prompt, null, msg -> { });
    }

    /**
     * With {@code bind-dev}: a direct link's socket, UDP or TCP, is bound to device {@code bindDev} (null: none) as
     * OpenVPN binds its socket; failures and what cannot be bound are reported to {@code warn}, as OpenVPN only warns.
     */
    LinkOpener(InetSocketAddress localBind, CredentialsProvider prompt, String bindDev, java.util.function.Consumer<String> warn) {
        this.localBind = localBind;
        this.prompt = prompt;
        this.bindDev = bindDev;
        this.warn = warn;
    }

    /** Offers {@code km} (the profile's certificate and key; null: none) to a {@code wss} proxy that asks; returns this. */
    LinkOpener presenting(javax.net.ssl.X509KeyManager km) {
        this.identity = km;
        return this;
    }

    /**
     * Opens the link; the TCP connect and the proxy's answers may take {@code timeout} in all (OpenVPN gives them
     * what is left of {@code connect-timeout}).
     */
    Link open(ClientProfile.Remote remote, Duration timeout) throws EngineException {
        if (remote.webSocket() != null) {
            return webSocket(remote, remote.webSocket(), timeout);
        }
        return switch (remote.proxy()) {
            case null -> direct(remote, timeout);
            case ProxyConfig.Http http -> http(remote, http, timeout);
            case ProxyConfig.Socks socks -> socks(remote, socks, timeout);
        };
    }

    private Link direct(ClientProfile.Remote remote, Duration timeout) throws EngineException {
        InetAddress address = resolve(remote.host(), "");
        InetSocketAddress target = new InetSocketAddress(address, remote.port());
        try {
            Transport t = remote.tcp() ? TcpTransport.connect(target, localBind, timeout, bindDev, warn)
                    : UdpTransport.connect(target, localBind, bindDev, warn);
            return new Link(t, address);
        } catch (ConnectException e) {
            throw new EngineException(ErrorKind.CONNECTION_REFUSED, "TCP connection to " + target + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, "cannot reach " + target + ": " + e.getMessage(), e);
        }
    }

    private Link http(ClientProfile.Remote remote, ProxyConfig.Http http, Duration timeout) throws EngineException {
        InetSocketAddress proxy = new InetSocketAddress(resolve(http.host(), "HTTP proxy "), http.port());
        HttpProxyOptions options = new HttpProxyOptions(http.version(), http.userAgent(), http.customHeaders().stream()
                .map(h -> new HttpProxyOptions.Header(h.get(0), h.get(1))).toList());
        HttpProxyDialer.Auth auth = switch (http.auth()) {
            case AUTO -> HttpProxyDialer.Auth.AUTO;
            case AUTO_NCT -> HttpProxyDialer.Auth.AUTO_NCT;
            case BASIC -> HttpProxyDialer.Auth.BASIC;
        };
        HttpProxyDialer dialer = new HttpProxyDialer(proxy, auth, options,
                credentialsFor(http, http.credentials(), ProxyPrompt.HTTP_PROMPT), Connector.tcp(localBind));
        try {
            Socket s = dialer.open(remote.host(), remote.port(), timeout);
            return new Link(TcpTransport.over(s, InetSocketAddress.createUnresolved(remote.host(), remote.port())),
                    proxy.getAddress());
        } catch (IOException e) {
            throw failure("HTTP proxy", proxy, e);
        }
    }

    private Link socks(ClientProfile.Remote remote, ProxyConfig.Socks socks, Duration timeout) throws EngineException {
        InetSocketAddress proxy = new InetSocketAddress(resolve(socks.host(), "SOCKS proxy "), socks.port());
        CredentialSource creds = socks.credentials() == null ? CredentialSource.NONE
                : credentialsFor(socks, socks.credentials(), ProxyPrompt.SOCKS_PROMPT);
        SocksDialer dialer = new SocksDialer(proxy, creds, Connector.tcp(remote.tcp() ? localBind : null));
        try {
            if (remote.tcp()) {
                Socket s = dialer.connect(remote.host(), remote.port(), timeout);
                return new Link(TcpTransport.over(s, InetSocketAddress.createUnresolved(remote.host(), remote.port())),
                        proxy.getAddress());
            }
            InetSocketAddress server = new InetSocketAddress(resolve(remote.host(), ""), remote.port());
            return new Link(SocksUdpTransport.open(dialer.associate(timeout), server, localBind), proxy.getAddress());
        } catch (IOException e) {
            throw failure("SOCKS proxy", proxy, e);
        }
    }

    /**
     * A WebSocket remote (ADR 0042): a TCP connection to the server's proxy, directly or through the profile's HTTP or
     * SOCKS proxy, then TLS for wss and the HTTP upgrade, all within {@code timeout}.
     */
    private Link webSocket(ClientProfile.Remote remote, WebSocketRemote ws, Duration timeout) throws EngineException {
        WebSocketUrl url = new WebSocketUrl(ws.secure(), ws.host(), ws.port(), ws.path());
        SSLSocketFactory tls = ws.secure() ? WebSocketTls.factory(ws.caFile(), identity) : null;
        io.culvert.engine.transport.websocket.BearerToken token = null;
        if (ws.tokenFile() != null) {
            try {
                token = io.culvert.engine.transport.websocket.BearerToken.read(java.nio.file.Path.of(ws.tokenFile()));
            } catch (IOException e) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "culvert-websocket-token-file: " + e.getMessage(), e);
            }
            if (token.exposed()) {
                LOG.warn("WARNING: file '{}' is group or others accessible", ws.tokenFile());
            }
        }
        Socket s;
        InetAddress peer;
        InetSocketAddress via = null;
        try {
            switch (remote.proxy()) {
                case null -> {
                    peer = resolve(ws.host(), "");
                    s = Connector.tcp(localBind).connect(new InetSocketAddress(peer, ws.port()), timeout);
                }
                case ProxyConfig.Http http -> {
                    via = new InetSocketAddress(resolve(http.host(), "HTTP proxy "), http.port());
                    peer = via.getAddress();
                    HttpProxyOptions options = new HttpProxyOptions(http.version(), http.userAgent(), http.customHeaders()
                            .stream().map(h -> new HttpProxyOptions.Header(h.get(0), h.get(1))).toList());
                    HttpProxyDialer.Auth auth = switch (http.auth()) {
                        case AUTO -> HttpProxyDialer.Auth.AUTO;
                        case AUTO_NCT -> HttpProxyDialer.Auth.AUTO_NCT;
                        case BASIC -> HttpProxyDialer.Auth.BASIC;
                    };
                    s = new HttpProxyDialer(via, auth, options,
                            credentialsFor(http, http.credentials(), ProxyPrompt.HTTP_PROMPT), Connector.tcp(localBind))
                            .open(ws.host(), ws.port(), timeout);
                }
                case ProxyConfig.Socks socks -> {
                    via = new InetSocketAddress(resolve(socks.host(), "SOCKS proxy "), socks.port());
                    peer = via.getAddress();
                    CredentialSource creds = socks.credentials() == null ? CredentialSource.NONE
                            : credentialsFor(socks, socks.credentials(), ProxyPrompt.SOCKS_PROMPT);
                    s = new SocksDialer(via, creds, Connector.tcp(localBind)).connect(ws.host(), ws.port(), timeout);
                }
            }
        } catch (IOException e) {
            if (via != null) {
                throw failure(remote.proxy() instanceof ProxyConfig.Http ? "HTTP proxy" : "SOCKS proxy", via, e);
            }
            throw new EngineException(e instanceof ConnectException ? ErrorKind.CONNECTION_REFUSED
                    : ErrorKind.NETWORK_UNREACHABLE, "TCP connection to " + url + " failed: " + e.getMessage(), e);
        }
        try {
            return new Link(WebSocketDialer.open(s, url, tls, token, timeout), peer);
        } catch (javax.net.ssl.SSLException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "TLS to " + url + " failed: " + e.getMessage()
                    + (ws.caFile() == null ? " (checked against the system's trust store; culvert-websocket-ca names another CA)" : ""), e);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONNECTION_REFUSED, "WebSocket upgrade at " + url + " failed: "
                    + e.getMessage(), e);
        }
    }

    private ProxyPrompt credentialsFor(ProxyConfig proxy, io.culvert.engine.config.ClientConfig.AuthUserPass configured,
            String text) {
        return credentials.computeIfAbsent(proxy, p -> new ProxyPrompt(configured, prompt, text));
    }

    private static EngineException failure(String what, InetSocketAddress proxy, IOException e) {
        if (e instanceof ProxyException p) {
            ErrorKind kind = p.reason() == ProxyException.Reason.AUTH_CANCELLED ? ErrorKind.AUTH_FAILED : ErrorKind.CONNECTION_REFUSED;
            return new EngineException(kind, p.getMessage(), p);
        }
        if (e instanceof ConnectException) {
            return new EngineException(ErrorKind.CONNECTION_REFUSED, what + " " + proxy + ": " + e.getMessage(), e);
        }
        return new EngineException(ErrorKind.NETWORK_UNREACHABLE, what + " " + proxy + ": " + e.getMessage(), e);
    }

    private static InetAddress resolve(String host, String what) throws EngineException {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst().orElse(all[0]);
        } catch (UnknownHostException e) {
            throw new EngineException(ErrorKind.DNS_RESOLUTION_FAILED, "cannot resolve " + what + host, e);
        }
    }
}
