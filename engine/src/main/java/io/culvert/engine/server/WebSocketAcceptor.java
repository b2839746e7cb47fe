package io.culvert.engine.server;

import io.culvert.engine.common.Addresses;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.WebSocketListen;
import io.culvert.engine.transport.websocket.Handshake;
import io.culvert.engine.transport.websocket.HttpHead;
import io.culvert.engine.transport.websocket.WebSocketException;
import io.culvert.engine.transport.websocket.WebSocketTransport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's WebSocket endpoint behind a reverse proxy (ADR 0042): accepts on a loopback port, upgrades each
 * connection on its own virtual thread (a bounded head, a deadline, at most {@link #MAX_HALF_OPEN} upgrades at once),
 * takes the client's real address from a trusted proxy's headers, and hands the connection to the same path as a
 * {@code proto tcp} client. Refused upgrades are counted.
 */
final class WebSocketAcceptor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketAcceptor.class);
    /** Largest request head read. */
    static final int MAX_HEAD = 8 * 1024;
    /** Upgrades in progress at once; one more is answered 503 at once. */
    static final int MAX_HALF_OPEN = 64;
    /** How long a connection may take to send its request head. */
    static final int HEAD_TIMEOUT_MILLIS = 10_000;

    private final WebSocketListen config;
    private final Set<InetAddress> trusted;
    private final ServerSocket socket;
    private final Semaphore halfOpen = new Semaphore(MAX_HALF_OPEN);
    private final AtomicLong upgraded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final LogThrottle refusals = new LogThrottle(10_000);
    private final java.time.InstantSource clock;

    /** Binds the endpoint; the caller starts {@link #run} on a thread of its own. */
    WebSocketAcceptor(WebSocketListen config, java.time.InstantSource clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.trusted = config.trustedProxies().stream().map(InetAddress::ofLiteral).collect(Collectors.toUnmodifiableSet());
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(config.host()), config.port()), 128);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Upgrades accepted so far. */
    long upgraded() {
        return upgraded.get();
    }

    /** Connections refused so far: bad or oversized heads, wrong paths, timeouts, too many half-open. */
    long refused() {
        return refused.get();
    }

    /** Upgraded connections closed for breaking RFC 6455 or a limit (a frame too large, unmasked, text …). */
    long protocolErrors() {
        return protocolErrors.get();
    }

    /** Counts an upgraded connection closed for {@code e}. */
    void protocolError(WebSocketException e) {
        protocolErrors.incrementAndGet();
        if (refusals.admit(clock.millis()) >= 0) {
            LOG.info("WebSocket connection closed with code {}: {}", e.code(), e.getMessage());
        }
    }

    /**
     * Accepts until closed; each upgraded connection goes to {@code open} (false: the server is stopping), which
     * reads it from then on.
     */
    void run(Predicate<LinkEndpoint.Tcp> open) {
        while (true) {
            Socket s;
            try {
                s = socket.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                LOG.debug("WebSocket accept: {}", e.getMessage());
                continue;
            }
            if (!halfOpen.tryAcquire()) {
                refuse(s, new WebSocketException(503, "more than " + MAX_HALF_OPEN + " upgrades in progress"));
                continue;
            }
            Threads.virtual("culvert-ws-rx-" + s.getRemoteSocketAddress()).start(() -> {
                LinkEndpoint.Tcp endpoint;
                try {
                    endpoint = upgrade(s);
                } finally {
                    halfOpen.release();
                }
                if (endpoint != null && !open.test(endpoint)) {
                    endpoint.transport().close();
                }
            });
        }
    }

    /** The upgrade on {@code s}: the endpoint, or null (answered and closed) when it is refused. */
    private LinkEndpoint.Tcp upgrade(Socket s) {
        InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(HEAD_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            OutputStream out = s.getOutputStream();
            HttpHead head = HttpHead.read(in, MAX_HEAD);
            String key = Handshake.checkRequest(head, config.path());
            InetSocketAddress real = realAddress(peer, head);
            out.write(Handshake.response(key));
            out.flush();
            s.setSoTimeout(0);
            WebSocketTransport t = new WebSocketTransport(s, in, out, false, real);
            t.startPings(WebSocketTransport.PING_INTERVAL);
            upgraded.incrementAndGet();
            LOG.info("WebSocket client {}{}", Addresses.text(real), real.equals(peer) ? "" : " (via " + Addresses.text(peer) + ")");
            return new LinkEndpoint.Tcp(t, real);
        } catch (WebSocketException e) {
            refuse(s, e);
        } catch (SocketTimeoutException e) {
            refuse(s, new WebSocketException(408, "no request head within " + HEAD_TIMEOUT_MILLIS / 1000 + " s"));
        } catch (IOException e) {
            refuse(s, new WebSocketException(400, e.getMessage()));
        }
        return null;
    }

    /**
     * The client's address: the proxy's {@code X-Real-IP} (else the last {@code X-Forwarded-For} entry, the one the
     * proxy added), with {@code X-Real-Port} when given, only when the connection comes from a trusted proxy.
     */
    InetSocketAddress realAddress(InetSocketAddress peer, HttpHead head) {
        if (!trusted.contains(peer.getAddress())) {
            return peer;
        }
        String ip = head.value("X-Real-IP");
        if (ip == null) {
            List<String> forwarded = head.values("X-Forwarded-For");
            if (!forwarded.isEmpty()) {
                String[] hops = forwarded.getLast().split(",");
                ip = hops[hops.length - 1];
            }
        }
        if (ip == null) {
            return peer;
        }
        String portText = head.value("X-Real-Port");
        int port = portText != null && portText.strip().matches("[0-9]{1,5}") ? Integer.parseInt(portText.strip()) : 0;
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(ip.strip()), port <= 65535 ? port : 0);
        } catch (IllegalArgumentException e) {
            LOG.debug("WebSocket: trusted proxy {} sent a client address that is not an IP: {}", Addresses.text(peer),
                    HttpHead.printable(ip));
            return peer;
        }
    }

    private void refuse(Socket s, WebSocketException why) {
        long n = refused.incrementAndGet();
        long held = refusals.admit(clock.millis());
        if (held >= 0) {
            LOG.info("WebSocket upgrade from {} refused ({}): {}; {} refused in all", s.getRemoteSocketAddress(),
                    why.code(), why.getMessage(), n);
        }
        try {
            s.setSoTimeout(1000);
            s.getOutputStream().write(Handshake.refusal(why.code()));
        } catch (IOException ignored) {
            // it is being closed anyway
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
