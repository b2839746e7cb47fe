package io.culvert.engine.server;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.WebSocketListen;
import io.culvert.engine.transport.websocket.BearerToken;
import io.culvert.engine.transport.websocket.Handshake;
import io.culvert.engine.transport.HttpHead;
import io.culvert.engine.transport.websocket.WebSocketException;
import io.culvert.engine.transport.websocket.WebSocketTransport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's WebSocket endpoint behind a reverse proxy (ADR 0042, 0046): accepts on a loopback port or a Unix socket
 * ({@link UnixEndpoint}), upgrades each connection on its own virtual thread (a bounded head, a deadline, at most
 * {@link #MAX_HALF_OPEN} upgrades at once, at most {@link #MAX_PER_ADDRESS} connections per client address, the bearer
 * token when one is configured), takes the client's real address from a trusted proxy's headers, and hands the
 * connection to the same path as a {@code proto tcp} client. Every refusal is counted per {@link Refusal} and logged
 * rate-limited.
 */
final class WebSocketAcceptor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketAcceptor.class);
    /** Largest request head read. */
    static final int MAX_HEAD = 8 * 1024;
    /** Upgrades in progress at once; one more is answered 503 at once. */
    static final int MAX_HALF_OPEN = 64;
    /** Connections (upgraded or past their head) per client address; one more is answered 429. */
    static final int MAX_PER_ADDRESS = 16;
    /** How long a connection may take to send its request head. */
    static final int HEAD_TIMEOUT_MILLIS = 10_000;

    /** Why a connection was turned away or closed; each is counted. Instances are immutable. */
    enum Refusal {
        /** More than {@link #MAX_HALF_OPEN} upgrades in progress: 503 at once. */
        BUSY,
        /** More than {@link #MAX_PER_ADDRESS} connections from the client's address: 429. */
        PER_ADDRESS,
        /** No complete request head within {@link #HEAD_TIMEOUT_MILLIS}: 408, or closed. */
        TIMEOUT,
        /** Not a valid upgrade for the path: garbage, an oversized head, another path or method (400, 404, 405, 426, 431). */
        BAD_REQUEST,
        /** A token is configured and the upgrade did not carry it: 401. */
        UNAUTHORIZED,
        /** An upgraded connection closed for breaking RFC 6455 or a limit (a frame too large, unmasked, text …). */
        PROTOCOL_ERROR
    }

    private final WebSocketListen config;
    private final Set<InetAddress> trusted;
    private final ServerSocketChannel socket;
    private final UnixEndpoint unix;
    private final BearerToken token;
    private final Semaphore halfOpen = new Semaphore(MAX_HALF_OPEN);
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong upgraded = new AtomicLong();
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final LogThrottle refusalLog = new LogThrottle(10_000);
    private final AtomicLong unixPeers = new AtomicLong();
    private final java.time.InstantSource clock;

    /** Binds the endpoint; the caller starts {@link #run} on a thread of its own. */
    WebSocketAcceptor(WebSocketListen config, java.time.InstantSource clock) throws IOException {
        this.config = config;
        this.clock = clock;
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
        this.trusted = config.trustedProxies().stream().map(InetAddress::ofLiteral).collect(Collectors.toUnmodifiableSet());
        if (config.tokenFile() != null) {
            token = BearerToken.read(Path.of(config.tokenFile()));
            if (token.exposed()) {
                // as OpenVPN warns of a key file others may read (warn_if_group_others_accessible)
                LOG.warn("WARNING: file '{}' is group or others accessible", config.tokenFile());
            }
        } else {
            token = null;
        }
        if (config.unix()) {
            this.unix = UnixEndpoint.bind(Path.of(config.unixPath()), config.group());
            this.socket = unix.channel();
        } else {
            this.unix = null;
            this.socket = ServerSocketChannel.open(StandardProtocolFamily.INET.equals(family(config.host()))
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.bind(new InetSocketAddress(InetAddress.ofLiteral(config.host()), config.port()), 128);
        }
    }

    private static StandardProtocolFamily family(String host) {
        return InetAddress.ofLiteral(host) instanceof java.net.Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
    }

    /** The TCP address listened on, or null on a Unix socket. */
    InetSocketAddress localAddress() {
        try {
            return unix != null ? null : (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Where the endpoint listens, for the log: {@code 127.0.0.1:8081} or {@code unix:/run/culvert/ws.sock}. */
    String where() {
        InetSocketAddress a = localAddress();
        return a != null ? Addresses.text(a) : config.where();
    }

    /** Upgrades accepted so far. */
    long upgraded() {
        return upgraded.get();
    }

    /** Connections refused before or at the upgrade so far (every reason but {@link Refusal#PROTOCOL_ERROR}). */
    long refused() {
        return refusals.entrySet().stream().filter(e -> e.getKey() != Refusal.PROTOCOL_ERROR)
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Upgraded connections closed for breaking RFC 6455 or a limit. */
    long protocolErrors() {
        return refusals.get(Refusal.PROTOCOL_ERROR).sum();
    }

    /** Every refusal reason seen at least once, by name, with its count. */
    Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k.name(), v.sum());
            }
        });
        return out;
    }

    /** Counts an upgraded connection closed for {@code e}. */
    void protocolError(WebSocketException e) {
        refusals.get(Refusal.PROTOCOL_ERROR).increment();
        if (refusalLog.admit(clock.millis()) >= 0) {
            LOG.info("WebSocket connection closed with code {}: {}", e.code(), e.getMessage());
        }
    }

    /**
     * Accepts until closed; each upgraded connection goes to {@code open} (false: the server is stopping), which
     * reads it from then on and returns when it has ended.
     */
    void run(Predicate<LinkEndpoint.Tcp> open) {
        while (true) {
            SocketChannel ch;
            try {
                ch = socket.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.debug("WebSocket accept: {}", e.getMessage());
                continue;
            }
            Conn c;
            try {
                c = conn(ch);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            if (!halfOpen.tryAcquire()) {
                refuse(c, Refusal.BUSY, new WebSocketException(503, "more than " + MAX_HALF_OPEN + " upgrades in progress"));
                continue;
            }
            Threads.virtual("culvert-ws-rx-" + c.peerText()).start(() -> {
                LinkEndpoint.Tcp endpoint;
                try {
                    endpoint = upgrade(c);
                } finally {
                    halfOpen.release();
                }
                if (endpoint == null) {
                    return;
                }
                try {
                    if (!open.test(endpoint)) {
                        endpoint.transport().close();
                    }
                } finally {
                    release(endpoint.address().getAddress());
                }
            });
        }
    }

    /** An accepted connection: its streams, its peer's address (a stand-in on a Unix socket). */
    private record Conn(SocketChannel channel, InputStream in, OutputStream out, InetSocketAddress peer, boolean unix) {
        String peerText() {
            return unix ? "unix" : Addresses.text(peer);
        }
    }

    private Conn conn(SocketChannel ch) throws IOException {
        InetSocketAddress peer;
        boolean overUnix = unix != null;
        if (overUnix) {
            // a Unix socket's peer has no IP address: the proxy's headers name the client; without them the client
            // shows as 127.0.0.1 with a port counting connections, so two of them are told apart in the status
            peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), (int) (unixPeers.incrementAndGet() % 65535) + 1);
        } else {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = (InetSocketAddress) ch.getRemoteAddress();
        }
        return new Conn(ch, new BufferedInputStream(Channels.newInputStream(ch), 16 * 1024), Channels.newOutputStream(ch),
                peer, overUnix);
    }

    /** The upgrade on {@code c}: the endpoint, or null (answered and closed) when it is refused. */
    private LinkEndpoint.Tcp upgrade(Conn c) {
        // the head's deadline: a watchdog closes the channel under a read still waiting for it
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = Threads.virtual("culvert-ws-watchdog").start(() -> {
            try {
                Thread.sleep(HEAD_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (done.compareAndSet(false, true)) {
                timedOut.set(true);
                closeQuietly(c.channel());
            }
        });
        InetAddress counted = null;
        try {
            HttpHead head = Handshake.readHead(c.in(), MAX_HEAD);
            String key = Handshake.checkRequest(head, config.path());
            if (token != null && !token.matches(head.value("Authorization"))) {
                throw new Refused(Refusal.UNAUTHORIZED, new WebSocketException(401, "no valid bearer token"));
            }
            String proxyName = null;
            if (config.clientCnHeader() != null) {
                proxyName = trustedPeer(c) ? ProxyClientName.commonName(head.value(config.clientCnHeader())) : null;
                if (proxyName == null) {
                    throw new Refused(Refusal.UNAUTHORIZED, new WebSocketException(401, "no client certificate name"
                            + " from a trusted proxy in " + config.clientCnHeader()));
                }
            }
            InetSocketAddress real = realAddress(c, head);
            if (perAddress.merge(real.getAddress(), 1, Integer::sum) > MAX_PER_ADDRESS) {
                release(real.getAddress());
                throw new Refused(Refusal.PER_ADDRESS, new WebSocketException(429, "more than " + MAX_PER_ADDRESS
                        + " connections from " + Addresses.text(real.getAddress())));
            }
            counted = real.getAddress();
            if (!done.compareAndSet(false, true)) {
                throw new IOException("deadline passed");
            }
            watchdog.interrupt();
            upgraded.incrementAndGet(); // before the 101: whoever reads it finds the upgrade counted
            c.out().write(Handshake.response(key));
            c.out().flush();
            WebSocketTransport t = new WebSocketTransport(c.channel(), c.in(), c.out(), false, real);
            t.startPings(WebSocketTransport.PING_INTERVAL);
            LOG.info("WebSocket client {}{}", Addresses.text(real), real.equals(c.peer()) ? ""
                    : " (via " + (c.unix() ? config.where() : Addresses.text(c.peer())) + ")");
            counted = null;
            return new LinkEndpoint.Tcp(t, real, proxyName);
        } catch (Refused r) {
            refuse(c, r.reason, r.answer);
        } catch (WebSocketException e) {
            refuse(c, Refusal.BAD_REQUEST, e);
        } catch (IOException e) {
            if (timedOut.get()) {
                refuse(c, Refusal.TIMEOUT, new WebSocketException(408, "no request head within "
                        + HEAD_TIMEOUT_MILLIS / 1000 + " s"));
            } else {
                refuse(c, Refusal.BAD_REQUEST, new WebSocketException(400, String.valueOf(e.getMessage())));
            }
        } finally {
            done.set(true);
            watchdog.interrupt();
            if (counted != null) {
                release(counted);
            }
        }
        return null;
    }

    /** A refusal decided during the upgrade, with the answer to send. */
    private static final class Refused extends Exception {
        private final Refusal reason;
        private final WebSocketException answer;

        Refused(Refusal reason, WebSocketException answer) {
            super(answer.getMessage(), null, false, false);
            this.reason = reason;
            this.answer = answer;
        }
    }

    private void release(InetAddress a) {
        perAddress.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * The client's address: the proxy's {@code X-Real-IP} (else the last {@code X-Forwarded-For} entry, the one the
     * proxy added), with {@code X-Real-Port} when given, only when the connection comes from a trusted proxy (a
     * configured address, or any peer on the Unix socket: only its group can connect).
     */
    private InetSocketAddress realAddress(Conn c, HttpHead head) {
        return c.unix() ? forwarded(c.peer(), head) : realAddress(c.peer(), head);
    }

    /** Whether {@code c} comes from a trusted proxy: a configured address, or any peer of the Unix socket. */
    private boolean trustedPeer(Conn c) {
        return c.unix() || trusted.contains(c.peer().getAddress());
    }

    /** The client's address behind {@code peer} over TCP; see {@link #realAddress(Conn, HttpHead)}. */
    InetSocketAddress realAddress(InetSocketAddress peer, HttpHead head) {
        return trusted.contains(peer.getAddress()) ? forwarded(peer, head) : peer;
    }

    private InetSocketAddress forwarded(InetSocketAddress peer, HttpHead head) {
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
                    Handshake.printable(ip));
            return peer;
        }
    }

    /** Counts the refusal, logs it rate-limited, answers it when the peer still listens and closes. */
    private void refuse(Conn c, Refusal reason, WebSocketException why) {
        refusals.get(reason).increment();
        long held = refusalLog.admit(clock.millis());
        if (held >= 0) {
            LOG.info("WebSocket upgrade from {} refused ({} {}): {}; {} refused in all{}", c.peerText(), why.code(),
                    reason, why.getMessage(), refused(), held > 0 ? " (" + held + " not logged)" : "");
        }
        if (c.channel().isOpen()) {
            try {
                // a few hundred bytes: they fit the socket's send buffer, so a peer that does not read cannot block this
                c.channel().configureBlocking(false);
                c.channel().write(java.nio.ByteBuffer.wrap(Handshake.refusal(why.code())));
            } catch (IOException ignored) {
                // it is being closed anyway
            }
        }
        closeQuietly(c.channel());
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
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
        if (unix != null) {
            unix.unlink();
        }
    }
}
