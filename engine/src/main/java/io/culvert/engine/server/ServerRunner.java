package io.culvert.engine.server;

import io.culvert.engine.common.Threads;
import io.culvert.engine.protocol.PushUpdate;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.EventLoop;
import io.culvert.engine.sys.LinuxUdpSocket;
import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.UdpSocket;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.sys.LinuxPacketFilter;
import io.culvert.engine.sys.LinuxRoutes;
import io.culvert.engine.sys.PacketFilter;
import io.culvert.engine.sys.Routes;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.tun.TunFactory;
import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a server: opens and configures its device, listens on each socket of the plan (one, or several UDP and TCP
 * sockets at once as OpenVPN 2.7's {@code local} lines ask, all feeding the one core; ADR 0022), and drives the
 * I/O-free {@link ServerCore} on one thread through an {@link EventLoop}. Threads: the caller of {@link #run()} owns the loop, the core and every
 * session; each UDP reader and the device reader fill a small ring of reused buffers (no copy, no allocation per
 * packet; the owner wakes once per batch, not per packet); a TCP acceptor and one reader per connection feed an
 * inbox. Datagrams the core sends are batched per wake-up by {@link BatchedLinkOutput}. The device is opened with
 * kernel offloads unless {@link Offloads#current()} is off: then the {@link DeviceReader} cuts super-segments into
 * packets before they reach the ring, and the {@link DeviceWriter} coalesces each wake-up's TCP segments into
 * super-segments behind virtio headers. Unless {@link ReaderFastPath#enabled()} is off, the readers run data packets
 * to completion themselves under the loop's owner lock (ADR 0041): the UDP reader's data packets for instances and
 * every device packet never wait for the server thread.
 * {@link #stop()}, {@link #kick}, {@link #instances()} and {@link #flows()} may be called from any thread.
 */
public final class ServerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRunner.class);
    private static final long TICK_MILLIS = 100;
    /**
     * Packets a reader may have handed over and the server thread not yet handled, per reader. Small on purpose: a
     * batch never takes more than a fraction of a millisecond to handle, so a full ring means the server is the
     * bottleneck and more queue would only add delay (issue 10: 16,384 entries held ~6 ms under load); the reader
     * then waits and the kernel's socket buffer absorbs the burst or drops, as it does for stock OpenVPN.
     */
    static final int RING_SLOTS = BatchedLinkOutput.CAPACITY;
    /** TCP events (open, packet, closed) queued at most; TCP readers wait when it is full (TCP pushes back). */
    /** Tasks (kick, verdicts of scripts and password checks) queued at most before posting waits aside. */
    private static final int TASKS = 1024;

    private final ServerPlan plan;
    private final EngineListener listener;
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final PacketFilter filter;
    private final InstantSource clock;
    private final EventLoop loop;
    private final CountDownLatch started = new CountDownLatch(1);
    private final BatchedLinkOutput output = new BatchedLinkOutput();
    private volatile ServerCore core;
    private volatile InetSocketAddress boundAddress;
    private volatile List<InetSocketAddress> boundAddresses = List.of();

    /** The WebSocket endpoint while the server runs, or null. */
    private volatile WebSocketAcceptor webSocket;

    /** Periodic work on the server thread, e.g. a {@link StatusFile}. */
    @FunctionalInterface
    public interface Ticker {
        /** Called after every tick, and once with {@code stopping} before the clients are dropped. */
        void tick(long nowMillis, boolean stopping);
    }

    /** Gateway mode's and the NAT routes' rules while the server runs, else null; read by {@link #natRules}. */
    private volatile NatGateway natGateway;

    private volatile Ticker ticker = (now, stopping) -> { };

    public ServerRunner(ServerPlan plan, EngineListener listener, TunFactory tunFactory, NetConfig net, InstantSource clock) {
        this(plan, listener, tunFactory, net, new LinuxPacketFilter(), clock);
    }

    /** Gateway rules of runners with in-memory devices: one model for the process, as a host has one ruleset. */
    private static final PacketFilter IN_MEMORY_RULES = new io.culvert.engine.sys.InMemoryPacketFilter();

    /**
     * A runner for in-memory devices: its gateway and NAT-route rules go into an in-memory model of nftables shared by
     * every such runner of the process, so nothing on the host changes.
     */
    public static ServerRunner withInMemoryRules(ServerPlan plan, EngineListener listener, TunFactory tunFactory,
            NetConfig net, InstantSource clock) {
        return new ServerRunner(plan, listener, tunFactory, net, IN_MEMORY_RULES, clock);
    }

    /** A runner whose gateway mode ({@link ServerPlan#gateway()}) changes {@code filter}. */
    public ServerRunner(ServerPlan plan, EngineListener listener, TunFactory tunFactory, NetConfig net, PacketFilter filter,
            InstantSource clock) {
        this.plan = plan;
        this.listener = listener;
        this.tunFactory = tunFactory;
        this.net = net;
        this.filter = filter;
        this.clock = clock;
        this.loop = new EventLoop(clock, TICK_MILLIS, TASKS);
    }

    public void stop() {
        loop.stop();
    }

    /** Waits until the server listens; false on timeout. */
    public boolean awaitStarted(long timeout, TimeUnit unit) throws InterruptedException {
        return started.await(timeout, unit);
    }

    /** The address the server listens on (useful with port 0); its first socket's with several. */
    public InetSocketAddress boundAddress() {
        return boundAddress;
    }

    /** Every socket's address, in the order of the plan's sockets; empty before the server listens. */
    public List<InetSocketAddress> boundAddresses() {
        return boundAddresses;
    }

    /**
     * Where the server listens, as people write it: {@code 0.0.0.0:1194/udp}, {@code [::]:1194/udp}, one entry per
     * socket joined by ", "; empty before it is listening.
     */
    public String listening() {
        List<InetSocketAddress> bound = boundAddresses;
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            parts.add(Addresses.text(bound.get(i)) + "/" + (plan.sockets().get(i).tcp() ? "tcp" : "udp"));
        }
        return String.join(", ", parts);
    }

    public List<InstanceInfo> instances() {
        ServerCore c = core;
        return c == null ? List.of() : c.instances();
    }

    public List<FlowEdge> flows() {
        ServerCore c = core;
        return c == null ? List.of() : c.flows();
    }

    /**
     * Clients' packets the router (TUN) or switch (TAP) dropped since start, by cause name (BAD_SOURCE,
     * QUOTA_EXCEEDED, ...), only causes seen; empty before the server runs.
     */
    public Map<String, Long> switchDrops() {
        ServerCore c = core;
        return c == null ? Map.of() : c.switchDrops();
    }

    /** Sets the {@link Ticker}; call before {@link #run()}. */
    public void onTick(Ticker t) {
        ticker = t;
    }

    /** Instances allocated since start; 0 before the server runs. */
    public long instancesCreated() {
        ServerCore c = core;
        return c == null ? 0 : c.instancesCreated();
    }

    /**
     * Disconnects client {@code peerId} and waits (briefly) until the server thread has done it, so a status read
     * right after no longer lists it; false when there is no such client.
     */
    public boolean kick(int peerId) {
        ServerCore c = core;
        if (c != null && loop.inLoop()) {
            return c.kick(peerId); // a caller on the server thread (a Ticker) must not wait for itself
        }
        if (c == null || loop.stopped()) {
            return false;
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        loop.execute(() -> c.kick(peerId, done::complete));
        try {
            return done.get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Sends a PUSH_UPDATE with {@code options} (as the management commands take them: {@code "route 10.9.0.0
     * 255.255.255.0, -dns"}) to client {@code peerId}, or to every client when it is negative, and waits (briefly)
     * until the server thread has; returns how many clients were sent it (those that did not announce support in their
     * peer-info are skipped).
     *
     * An update with {@code ifconfig}/{@code ifconfig-ipv6} (or {@code -ifconfig}) moves the client: once it is sent,
     * the server routes the new address to the client and no longer the old one.
     *
     * @throws IllegalArgumentException when the options are malformed, empty, or not ones an update may carry; when
     *     an address option goes to every client (they would all get the one address) or is not a valid address; or
     *     when the new address belongs to another connected client or the address pool has it
     */
    public int pushUpdate(int peerId, String options) {
        List<PushUpdate.Item> items;
        try {
            items = PushUpdate.parseOptions(options == null ? "" : options);
        } catch (PushUpdate.MalformedUpdateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no options to push");
        }
        for (PushUpdate.Item i : items) {
            if (!i.updatable() && !i.optional()) {
                throw new IllegalArgumentException("'" + i.text() + "' is not an option a PUSH_UPDATE may carry");
            }
            if (peerId < 0 && (i.name().equals("ifconfig") || i.name().equals("ifconfig-ipv6"))) {
                throw new IllegalArgumentException("'" + i.text() + "': an address goes to one client (push-update-cid), not to all");
            }
        }
        AddressMove.of(items); // refuses a malformed address before anything is sent
        PushUpdate.split(items); // refuses an option too long for one message before anything is sent
        return onLoop(c -> c.pushUpdate(peerId, items));
    }

    /**
     * Sends the connected clients of {@code commonName} their routes again as a PUSH_UPDATE, after its
     * client-config-dir entry changed; returns how many were sent one (0 when none is connected or announced support).
     */
    public int refreshRoutes(String commonName) {
        return onLoop(c -> {
            try {
                return c.refreshRoutes(commonName);
            } catch (EngineException e) {
                LOG.warn("PUSH_UPDATE for {} not sent: {}", commonName, e.getMessage());
                return 0;
            }
        });
    }

    private int onLoop(java.util.function.ToIntFunction<ServerCore> job) {
        ServerCore c = core;
        if (c != null && loop.inLoop()) {
            return job.applyAsInt(c);
        }
        if (c == null || loop.stopped()) {
            return 0;
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                done.complete(job.applyAsInt(c));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw new IllegalArgumentException(refused.getMessage(), refused);
            }
            return 0;
        } catch (TimeoutException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The interface gateway mode masquerades out of: as configured, or the one of the default route now. */
    private static String outbound(io.culvert.engine.config.Gateway g) throws IOException {
        if (g.outbound() != null) {
            return g.outbound();
        }
        // any address outside private ranges takes the default route
        return routeDevice(InetAddress.getByAddress(g.ipv4() ? new byte[] {(byte) 192, 0, 2, 1}
                : new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                "'auto' found no default route to masquerade out of; name the interface");
    }

    /** Each NAT route with its interface: as configured, or the one the host's route to its network leaves by now. */
    private static List<NatGateway.Reach> reaches(List<io.culvert.engine.config.NatRoute> routes) throws IOException {
        List<NatGateway.Reach> out = new ArrayList<>();
        for (io.culvert.engine.config.NatRoute r : routes) {
            String dev = r.outbound() != null ? r.outbound() : routeDevice(InetAddress.ofLiteral(r.network()),
                    "culvert-nat-route line " + r.line() + ": 'auto' found no route to " + r.cidr()
                            + "; name the interface");
            out.add(new NatGateway.Reach(r, dev));
        }
        return out;
    }

    private static String routeDevice(InetAddress to, String none) throws IOException {
        try (Routes routes = LinuxRoutes.open()) {
            Routes.Route r = routes.lookup(to);
            if (r == null) {
                throw new IOException(none);
            }
            return r.device();
        }
    }

    /**
     * The rules of this server's chain in Culvert's nftables table as the kernel lists them now (gateway mode and NAT
     * routes), one per line; empty when it has none or has stopped.
     */
    public List<String> natRules() {
        NatGateway g = natGateway;
        if (g == null) {
            return List.of();
        }
        try {
            return g.activeRules();
        } catch (IOException e) {
            return List.of("(cannot list the nftables rules: " + e.getMessage() + ")");
        }
    }

    /**
     * "Why can't {@code from} reach {@code to}?" (ADR 0044): checks the path between client {@code from} (a common
     * name) and {@code to} (a common name or an IP address) from the server's state, watching the counters for a
     * couple of seconds; with {@code probe}, also sends B echo requests from the server's tunnel address and measures
     * the path MTU. Blocks for seconds; must not be called on the server thread.
     *
     * @throws EngineException when the server is not running, or A or B is missing
     */
    public io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe) throws EngineException {
        return diagnose(from, to, probe, PathCheckRunner.WINDOW_MILLIS);
    }

    /** {@link #diagnose(String, String, boolean)} watching the counters for {@code windowMillis} (0: not at all). */
    io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe, long windowMillis)
            throws EngineException {
        if (loop.inLoop()) {
            throw new IllegalStateException("the path check waits for the server thread; call it from another thread");
        }
        return new PathCheckRunner(plan, this::call, filter, this::natRules, clock).run(from, to, probe, windowMillis);
    }

    private <T> T call(java.util.function.Function<ServerCore, T> job) throws EngineException {
        ServerCore c = core;
        if (c == null || loop.stopped()) {
            throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, "the server is not running");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                done.complete(job.apply(c));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new EngineException(ErrorKind.INTERNAL, "path check failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new EngineException(ErrorKind.INTERNAL, "the server thread did not answer within 2 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ErrorKind.INTERNAL, "path check interrupted");
        }
    }

    /** Runs until {@link #stop()}; throws when the server cannot start. */
    public void run() throws EngineException {
        Warmup.start(clock); // compiles the handshake and packet paths before the first clients arrive
        PortShare share;
        try {
            share = PortShare.start(plan.portShare());
        } catch (IOException e) {
            throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, e.getMessage(), e);
        }
        TunDevice device;
        try {
            device = tunFactory.open(plan.devName(), plan.settings().tap(), plan.settings().tunMtu(),
                    Offloads.current().enabled());
        } catch (IOException e) {
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "cannot open the server device: " + e.getMessage(), e);
        }
        try {
            net.setLinkUp(device.name(), plan.settings().tunMtu());
            if (device.vnetHeaderLength() > 0) {
                net.limitSuperSegments(device.name(), TunDevice.SUPER_SEGMENT_LIMIT);
            }
            plan.deviceSetup().apply(device.name(), net);
        } catch (IOException e) {
            net.undoAll();
            device.close();
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED,
                    "configuring " + device.name() + " failed: " + e.getMessage(), e);
        }
        DeviceWriter deviceOut = new DeviceWriter(device);
        ServerCore c = new ServerCore(plan.settings(), plan.admission(), deviceOut, output, plan.clientToClient(),
                plan.pairPolicy(), plan.subnetBroadcast(), plan.maxClients(), plan.duplicateCn(), listener, clock,
                new SecureRandom(), loop);
        c.scripts(plan.scripts());
        c.remoteFlows(plan.remoteFlows());
        if (plan.connectFreq() != null || plan.connectFreqInitial() != null) {
            c.connectLimits(new ConnectLimits(plan.connectFreq(), plan.connectFreqInitial(), clock));
        }
        output.failures = c::sendFailed;
        deviceOut.dropped = c::dropped;
        core = c;
        ReaderFastPath fast = ReaderFastPath.enabled() ? ReaderFastPath.of(loop.ownerLock(), loop::stopped, c, () -> {
            output.flush();
            deviceOut.flush();
        }) : null;
        EventLoop.PacketRing devRing = fast != null ? null
                : loop.ring(RING_SLOTS, slotBytes(plan.settings().tunMtu()), (buf, len, meta) -> c.onDevice(buf, len));
        List<UdpSocket> udps = new ArrayList<>();
        List<ServerSocketChannel> tcps = new ArrayList<>();
        List<EventLoop.PacketRing> udpRings = new ArrayList<>();
        List<InetSocketAddress> bound = new ArrayList<>();
        ServerPlan.Socket opening = plan.sockets().getFirst();
        try {
            // OpenVPN 2.7's multi-socket server: every socket feeds the same core, so clients over UDP and over TCP
            // share the pool, client-to-client routing and management.
            ServerTcp tcpLinks = null;
            for (ServerPlan.Socket socket : plan.sockets()) {
                opening = socket;
                if (socket.tcp()) {
                    if (tcpLinks == null) {
                        tcpLinks = new ServerTcp(loop, c, () -> webSocket);
                    }
                    ServerSocketChannel tcp = ServerTcp.listen(socket);
                    tcps.add(tcp);
                    bound.add((InetSocketAddress) tcp.getLocalAddress());
                    tcpLinks.startAccepting(tcp, share);
                } else {
                    int index = udps.size();
                    int slotBytes = slotBytes(plan.settings().tunMtu());
                    EventLoop.PacketRing ring = loop.ring(RING_SLOTS, slotBytes,
                            (buf, len, from) -> c.onUdp((LinkEndpoint.Udp) from, buf, len));
                    udpRings.add(ring);
                    UdpSocket udp = ServerUdp.open(socket.bind(), socket.bindDev());
                    udps.add(udp);
                    if (plan.multihome() && udp instanceof LinuxUdpSocket linux) {
                        linux.receivePacketInfo();
                    }
                    bound.add(udp.localAddress());
                    ServerUdp.Via via = new ServerUdp.Via(index, plan.multihome(), plan.sameInterface());
                    Threads.platform("culvert-udp-rx-" + udp.localAddress()).daemon().start(
                            () -> ServerUdp.read(udp, via, ring, slotBytes, () -> c.dropped(DropReason.OVERSIZED), fast));
                }
            }
            if (plan.webSocket() != null) {
                opening = null;
                ServerTcp links = tcpLinks != null ? tcpLinks : new ServerTcp(loop, c, () -> webSocket);
                WebSocketAcceptor ws = new WebSocketAcceptor(plan.webSocket(), clock);
                webSocket = ws;
                Threads.platform("culvert-ws-accept-" + ws.where()).daemon().start(() -> ws.run(endpoint -> {
                    if (!links.open(endpoint)) {
                        return false;
                    }
                    links.read(endpoint);
                    return true;
                }));
            }
            output.udp = udps.isEmpty() ? null : udps.getFirst();
            output.udps = udps.size() > 1 ? udps.toArray(UdpSocket[]::new) : null;
            boundAddresses = List.copyOf(bound);
            boundAddress = bound.getFirst();
        } catch (IOException e) {
            closeQuietly(udps.toArray(AutoCloseable[]::new));
            closeQuietly(tcps.toArray(AutoCloseable[]::new));
            net.undoAll();
            device.close();
            throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, "cannot listen on " + (opening != null ? opening
                    : "the WebSocket endpoint " + plan.webSocket().where()
                    + " (culvert-websocket, line " + plan.webSocket().line() + ")") + ": " + e.getMessage(), e);
        }
        NatGateway gateway = null;
        if (plan.gateway() != null || !plan.natRoutes().isEmpty()) {
            // after the sockets are bound: a second server on the same port (and so the same chain) fails before this
            try {
                gateway = NatGateway.start(filter, NatGateway.chainName(plan.sockets().getFirst()), plan.gateway(),
                        plan.gateway() == null ? null : outbound(plan.gateway()), reaches(plan.natRoutes()));
                natGateway = gateway;
            } catch (IOException e) {
                closeQuietly(udps.toArray(AutoCloseable[]::new));
                closeQuietly(tcps.toArray(AutoCloseable[]::new));
                closeQuietly(webSocket);
                net.undoAll();
                device.close();
                throw new EngineException(ErrorKind.NETWORK_UNREACHABLE, (plan.gateway() != null
                        ? "gateway mode (culvert-gateway, line " + plan.gateway().line() + "): "
                        : "NAT routes (culvert-nat-route, line " + plan.natRoutes().getFirst().line() + "): ")
                        + e.getMessage(), e);
            }
        }
        Thread devReader = Threads.platform("culvert-tun-rx-" + device.name()).daemon()
                .start(() -> readDevice(fast != null ? new DeviceReader(device, fast, c::dropped)
                        : new DeviceReader(device, devRing, c::dropped)));
        for (int i = 0; i < bound.size(); i++) {
            LOG.info("Listening on {}/{}{}", Addresses.text(bound.get(i)), plan.sockets().get(i).tcp() ? "tcp" : "udp",
                    plan.multihome() && !plan.sockets().get(i).tcp() ? " (multihome: replies from the dialled address)"
                            : "");
        }
        if (webSocket != null) {
            LOG.info("Listening on {}/websocket, path {}{}{}", webSocket.where(), plan.webSocket().path(),
                    plan.webSocket().unix() ? " (mode 0660" + (plan.webSocket().group() == null ? ""
                            : ", group " + plan.webSocket().group()) + ")" : "",
                    plan.webSocket().trustedProxies().isEmpty() ? ""
                            : ", client addresses from trusted proxies " + plan.webSocket().trustedProxies());
        }
        LOG.info("Device {}{}", device.name(), device.vnetHeaderLength() > 0 ? ", offloads " + device.offloads() : "");
        if (fast == null) {
            LOG.info("Server fast path off: every packet goes through the server thread");
        }
        LOG.info("Initialization Sequence Completed");
        started.countDown();
        try {
            loop.run(new EventLoop.Owner() {
                @Override
                public void endOfBatch() {
                    output.flush();
                    deviceOut.flush();
                }

                @Override
                public void tick(long nowMillis) {
                    c.tick();
                    ticker.tick(clock.millis(), false);
                    output.flush();
                    deviceOut.flush();
                }

                @Override
                public void failed(RuntimeException e) {
                    LOG.error("Server loop error (continuing)", e);
                }
            });
        } finally {
            // readers on the fast path find the loop stopped once they hold the owner lock, and leave the core alone
            loop.ownerLock().lock();
            try {
                ticker.tick(clock.millis(), true);
            } catch (RuntimeException e) {
                LOG.warn("Final tick failed", e);
            }
            // queueFull: datagrams dropped between a reader and the server thread, none since the rings hold readers
            // back (the kernel drops instead, as Udp.RcvbufErrors); kept for readers of this line. readerWaits: how
            // often a reader found its ring full, i.e. the server thread was the bottleneck.
            long waits = (devRing == null ? 0 : devRing.fullWaits())
                    + udpRings.stream().mapToLong(EventLoop.PacketRing::fullWaits).sum();
            LOG.info("Server totals: instances={} created={} drops={} queueFull=0 readerWaits={}", c.instanceCount(),
                    c.instancesCreated(), c.drops(), waits);
            try {
                c.shutdown();
                output.flush();
                deviceOut.flush();
            } finally {
                loop.ownerLock().unlock();
            }
            closeQuietly(udps.toArray(AutoCloseable[]::new));
            closeQuietly(tcps.toArray(AutoCloseable[]::new));
            if (webSocket != null) {
                closeQuietly(webSocket);
                LOG.info("WebSocket totals: upgraded={} refused={} protocolErrors={} byReason={}", webSocket.upgraded(),
                        webSocket.refused(), webSocket.protocolErrors(), webSocket.counters());
            }
            device.close();
            if (gateway != null) {
                natGateway = null;
                gateway.close();
            }
            net.undoAll();
            try {
                devReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Server stopped");
        }
    }

    /**
     * Bytes per ring slot: the device's MTU plus room for a TAP header and every OpenVPN overhead (opcode, peer-id,
     * packet-id, IV, padding, tag or HMAC, compression byte, a control packet's wrap), at least 4 KiB. 64 KiB slots
     * (the old reader buffer) would cost 8 MiB for two rings; these cost 512 KiB at MTU 1500. A datagram larger than
     * a slot is truncated by the kernel and then fails authentication, as any forged one does.
     */
    static int slotBytes(int tunMtu) {
        return Math.max(4096, tunMtu + 1024);
    }

    /** The WebSocket endpoint's address once the server runs, or null without one. */
    public InetSocketAddress webSocketAddress() {
        WebSocketAcceptor ws = webSocket;
        return ws == null ? null : ws.localAddress();
    }

    /**
     * The WebSocket endpoint's refusals by {@link WebSocketAcceptor.Refusal} name (ADR 0046), only reasons seen; empty
     * without an endpoint.
     */
    public Map<String, Long> webSocketCounters() {
        WebSocketAcceptor ws = webSocket;
        if (ws == null) {
            return Map.of();
        }
        Map<String, Long> out = new java.util.TreeMap<>(ws.counters());
        ServerCore c = core;
        long mismatches = c == null ? 0 : c.cnMismatches();
        if (mismatches > 0) {
            out.put("CN_MISMATCH", mismatches);
        }
        return out;
    }

    /** WebSocket upgrades refused so far (0 without an endpoint). */
    public long webSocketRefused() {
        WebSocketAcceptor ws = webSocket;
        return ws == null ? 0 : ws.refused();
    }

    private static void readDevice(DeviceReader reader) {
        try {
            reader.run();
        } catch (IOException e) {
            LOG.debug("device reader stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable... cs) {
        for (AutoCloseable c : cs) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }
}
