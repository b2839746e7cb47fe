package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.common.Threads;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.KillSwitch;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.packet.VirtioNetHdr;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.sys.LinuxRoutes;
import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.LinuxPacketFilter;
import io.culvert.engine.sys.PacketFilter;
import io.culvert.engine.sys.Routes;
import io.culvert.engine.sys.SuspendClock;
import io.culvert.engine.transport.SendRefusedException;
import io.culvert.engine.config.WebSocketRemote;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.tun.TunFactory;
import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client profile: connects to each remote in turn, drives a {@link ClientSession} on its own thread,
 * reconnects with backoff, and tears the device and routes down on the way out. Threads, run to completion: the
 * caller of {@link #run()} owns the session and its timers; the device reader reads a packet, clamps its MSS, seals
 * it in place with the session's published {@link DataPlane} keys and sends it; the link reader receives, opens a
 * data packet in place, clamps and writes it to the device. Only control packets (and link failures, stop and
 * reconnect requests) cross the small bounded queue to the session thread; no data packet does (a peer sends on a new
 * key only after we acknowledged its key exchange, and the session publishes the keys before that acknowledgement).
 * {@link #stop()} may be called from any thread.
 */
public final class ClientRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);
    private static final Object STOP = new Object();
    private static final Object RECONNECT = new Object();
    private static final long TICK_MILLIS = 100;
    /** At most one "write failed" line per this interval; the drops are all counted. */
    private static final long SEND_FAILURE_LOG_MILLIS = 5000;
    /** An Ethernet header with one VLAN tag, in front of a TAP device's MTU. */
    private static final int MAX_L2_HEADER = 18;

    private final ClientProfile profile;
    private final EngineListener listener;
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final DnsConfig dns;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Control packets, link failures and requests for the session thread. 256: the control channel has at most a
     * reliability window of packets in flight per key generation (two generations), so a full queue means a flood;
     * over UDP the excess is dropped (the peer retransmits), over TCP the reader waits. A small queue also keeps
     * latency low: nothing waits behind a standing backlog.
     */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(256);
    private final Counters counters = new Counters();
    private final LinkOpener links;
    private final UnaryOperator<Transport> linkFilter;
    private volatile boolean stopRequested;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile ConnectionInfo info;
    private ErrorKind lastError;
    /** A pushed auth token (and auth-token-user) kept across reconnects, as OpenVPN keeps it; null = none. */
    private String authToken;
    private String authTokenUser;
    /** The last attempt's AUTH_FAILED answered an auth token: retry with the password, not give up. */
    private boolean tokenRefused;
    /** The last attempt ended with "Server poll timeout": the next remote is tried at once. */
    private boolean serverPollTimedOut;
    /** Why the last session failed, in the engine's words (a peer's TLS alert, a timeout …), or null. */
    private String lastErrorDetail;

    private record LinkIn(byte[] data, int len) {}

    private record LinkFailed(IOException error) {}

    /**
     * The network changed under the client ({@link NetworkWatch}), or the machine slept ({@link ResumeWatch});
     * {@code why} is the log line.
     */
    private record NetworkChanged(String why) {}

    /** The kernel's routes the client follows, or null until {@link #run} opens them (null again if it cannot). */
    private Routes routes;
    /** The tunnel device's name while one is up, for {@link NetworkWatch} to tell the tunnel's routes apart. */
    private volatile String tunnelDevice;
    /** Set when the current attempt ended because the network changed: reconnect without the retry pause. */
    private String networkChanged;
    /** Where the kill switch's rules go ({@link KillSwitchRules}); tests pass a double. */
    private PacketFilter packetFilter = new LinuxPacketFilter();
    /** The kill switch while this runner holds it (the profile asks for one), else null. */
    private HeldKillSwitch killSwitch;
    /** The clock whose jumps say the machine slept ({@link ResumeWatch}); tests pass their own. */
    private SuspendClock suspendClock = SuspendClock.linux();
    private ResumeWatch resume;

    public ClientRunner(ClientProfile profile, EngineListener listener, TunFactory tunFactory, NetConfig net, InstantSource clock) {
        this(profile, listener, tunFactory, net, new DnsConfig(argv -> CommandRunner.Result.ok(""), false), clock);
    }

    /** With {@code dns} applying pushed DNS servers (e.g. {@link DnsConfig#system()}). */
    public ClientRunner(ClientProfile profile, EngineListener listener, TunFactory tunFactory, NetConfig net, DnsConfig dns,
            InstantSource clock) {
        this(profile, listener, tunFactory, net, dns, clock, UnaryOperator.identity());
    }

    /** With every opened link passed through {@code linkFilter} first (tests put a faulty link in between). */
    ClientRunner(ClientProfile profile, EngineListener listener, TunFactory tunFactory, NetConfig net, DnsConfig dns,
            InstantSource clock, UnaryOperator<Transport> linkFilter) {
        this.linkFilter = linkFilter;
        this.dns = dns;
        this.profile = profile;
        this.listener = listener;
        this.tunFactory = tunFactory;
        this.net = net;
        this.clock = clock;
        this.links = new LinkOpener(profile.localBind(), profile.prompt(), profile.bindDev(),
                msg -> log(EngineEvent.Level.WARN, msg)).presenting(profile.proxyKeyManager());
    }

    public void stop() {
        stopRequested = true;
        queue.offer(STOP);
    }

    /** Ends the current connection (as on SIGUSR1) and connects again after the usual retry pause. */
    public void reconnect() {
        queue.offer(RECONNECT);
    }

    public ConnectionState state() {
        return state;
    }

    public ConnectionInfo connectionInfo() {
        return info;
    }

    public TrafficStats stats() {
        return counters.snapshot();
    }

    /** Follows {@code kernelRoutes} instead of rtnetlink (tests); call before {@link #run}. */
    ClientRunner routes(Routes kernelRoutes) {
        this.routes = kernelRoutes;
        return this;
    }

    /** Reads sleeps from {@code clock} instead of the machine's clocks (tests); call before {@link #run}. */
    ClientRunner suspendClock(SuspendClock clock) {
        this.suspendClock = clock;
        return this;
    }

    /** Puts the kill switch's rules into {@code filter} instead of the host's nftables (tests); call before {@link #run}. */
    ClientRunner packetFilter(PacketFilter filter) {
        this.packetFilter = filter;
        return this;
    }

    /**
     * Runs until stopped or until a failure that retrying cannot fix; returns that failure, or null. With a kill switch
     * the rules are in place before the first packet and stay through every reconnect; they go when this returns (a
     * disconnect, or giving up), never on a crash.
     */
    public ErrorKind run() {
        resume = new ResumeWatch(suspendClock);
        KillSwitchRules rules = new KillSwitchRules(packetFilter);
        try {
            rules.removeStale(KillSwitchRules::alive, msg -> log(EngineEvent.Level.WARN, msg));
        } catch (IOException | RuntimeException e) {
            LOG.debug("No stale kill switch removed: {}", e.getMessage());
        }
        if (profile.killSwitch() != KillSwitch.OFF) {
            try {
                killSwitch = new HeldKillSwitch(rules, endpoints(), profile.killSwitch() == KillSwitch.ALLOW_LAN);
                log(EngineEvent.Level.INFO, "Kill switch on: nothing leaves this machine but the tunnel and "
                        + killSwitch.describe());
            } catch (IOException e) {
                // fail closed: without its rules the profile does not connect at all
                lastError = ErrorKind.PERMISSION_DENIED;
                state(ConnectionState.EXITING, ErrorKind.PERMISSION_DENIED, "the kill switch could not be put in place: "
                        + e.getMessage());
                return ErrorKind.PERMISSION_DENIED;
            }
        }
        try (NetworkWatch watch = openWatch()) {
            this.watch = watch;
            return runLoop();
        } finally {
            this.watch = null;
            if (killSwitch != null) {
                try {
                    killSwitch.release();
                    log(EngineEvent.Level.INFO, "Kill switch off: traffic flows outside the tunnel again");
                } catch (IOException | RuntimeException e) {
                    log(EngineEvent.Level.ERROR, "the kill switch could not be taken away: " + e.getMessage()
                            + "; run 'nft delete table inet " + KillSwitchRules.TABLE + "' as root");
                }
                killSwitch = null;
            }
        }
    }

    /** Where the kill switch lets the client go outside the tunnel: every remote's addresses, or its proxy's. */
    private List<KillSwitchRules.Endpoint> endpoints() {
        List<KillSwitchRules.Endpoint> out = new ArrayList<>();
        for (ClientProfile.Remote r : profile.remotes()) {
            String host = r.host();
            int port = r.port();
            boolean tcp = r.tcp();
            switch (r.proxy()) {
                case null -> { }
                case io.culvert.engine.config.ProxyConfig.Http h -> {
                    host = h.host();
                    port = h.port();
                    tcp = true;
                }
                case io.culvert.engine.config.ProxyConfig.Socks x -> {
                    host = x.host();
                    port = 0; // the SOCKS server relays UDP from a port it chooses
                }
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    out.add(new KillSwitchRules.Endpoint(a, port, tcp));
                }
            } catch (java.net.UnknownHostException e) {
                log(EngineEvent.Level.WARN, "kill switch: " + host + " does not resolve now, so the switch blocks it too");
            }
        }
        return out;
    }

    /**
     * The kill switch this runner holds, from its construction to its {@link #release}: its endpoints, the
     * device it lets through (re-engaged when that changes), and its part in {@link KillSwitchRules#HELD_HERE}.
     */
    private final class HeldKillSwitch {
        private final KillSwitchRules rules;
        private final List<KillSwitchRules.Endpoint> servers;
        private final boolean allowLan;
        private String device;

        /** Puts the switch in place without a device yet, and holds it. */
        HeldKillSwitch(KillSwitchRules rules, List<KillSwitchRules.Endpoint> servers, boolean allowLan)
                throws IOException {
            this.rules = rules;
            this.servers = servers;
            this.allowLan = allowLan;
            apply(null);
            KillSwitchRules.HELD_HERE.incrementAndGet();
        }

        private void apply(String dev) throws IOException {
            rules.engage(dev, servers, allowLan, ProcessHandle.current().pid());
            device = dev;
        }

        /** Lets go: no longer held, and the rules are taken away. */
        void release() throws IOException {
            KillSwitchRules.HELD_HERE.decrementAndGet();
            rules.release();
        }

        /** Lets the tunnel's device {@code dev} through, if it is another than the one let through now. */
        void follow(String dev) {
            if (java.util.Objects.equals(dev, device)) {
                return;
            }
            try {
                apply(dev);
            } catch (IOException e) {
                log(EngineEvent.Level.ERROR, "kill switch: the tunnel's device " + dev + " could not be let through ("
                        + e.getMessage() + "); traffic stays blocked");
            }
        }

        String describe() {
            List<String> to = new ArrayList<>();
            for (KillSwitchRules.Endpoint e : servers) {
                to.add(Addresses.text(new InetSocketAddress(e.address(), e.port())) + (e.port() == 0 ? "" : e.tcp() ? "/tcp" : "/udp"));
            }
            return (to.isEmpty() ? "no server" : String.join(", ", to)) + (allowLan ? ", and the local networks" : "")
                    + " may be reached";
        }
    }

    /** The network watch over rtnetlink (or the given routes); null where the kernel's routes cannot be followed. */
    private NetworkWatch openWatch() {
        Routes r = routes;
        if (r == null) {
            try {
                r = LinuxRoutes.open();
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("Not following network changes: {}", e.getMessage());
                return null;
            }
        }
        return new NetworkWatch(r, why -> queue.offer(new NetworkChanged(why)), () -> tunnelDevice,
                msg -> log(EngineEvent.Level.WARN, msg)).start();
    }

    private NetworkWatch watch;
    /** The server's address of the current attempt, which {@link #watch} follows. */
    private volatile InetAddress watchedServer;

    /**
     * Takes the route to the server as it is now as the one to compare with: after the client changed routes itself
     * (its routes to the server, e.g. redirect-gateway's host route via net_gateway, are not a network change).
     */
    private void refollow() {
        NetworkWatch w = watch;
        InetAddress server = watchedServer;
        if (w != null && server != null) {
            w.follow(server);
        }
    }

    private ErrorKind runLoop() {
        Warmup.start(clock, Warmup.CLIENT_ROUNDS); // compiles the packet path while the first handshake runs
        int failures = 0;
        int remoteIndex = 0;
        memoryKey = networkKey(profile.remotes());
        String remembered = memoryKey == null ? null : memory.recall(memoryKey);
        fallback = new TransportFallback(profile.remotes(), remembered);
        List<ClientProfile.Remote> remotes = fallback.order();
        if (fallback.mixed()) {
            log(EngineEvent.Level.INFO, "Transports to try: " + remotes.stream()
                    .map(r -> TransportFallback.transport(r).label() + " " + r).collect(java.util.stream.Collectors.joining(", "))
                    + (remembered != null && TransportFallback.key(remotes.get(0)).equals(remembered)
                            ? " (the first worked last on this network)" : ""));
        }
        while (!stopRequested) {
            ClientProfile.Remote remote = remotes.get(remoteIndex % remotes.size());
            failureReason = null;
            boolean wasConnected = runOnce(remote);
            if (stopRequested) {
                break;
            }
            boolean quickNext = false;
            if (!wasConnected && fallback.mixed() && networkChanged == null) {
                String why = failureReason != null ? failureReason
                        : lastErrorDetail != null ? lastErrorDetail : String.valueOf(lastError);
                quickNext = fallback.firstRound();
                fallback.failed(remote, why);
                log(EngineEvent.Level.INFO, TransportFallback.transport(remote).label() + ": " + why
                        + (quickNext ? "; trying the next remote" : ""));
            }
            if (networkChanged != null) {
                // openvpn waits for ping-restart here; the new path is known now, so the next attempt starts at once
                failures = 0;
                state(ConnectionState.RECONNECTING, null, networkChanged);
                networkChanged = null;
                continue;
            }
            if (serverPollTimedOut) {
                // openvpn: "Server poll timeout, restarting" sets restart_sleep_seconds = -1, so the next remote
                // is tried without the connect-retry pause
                failures++;
                remoteIndex++;
                if (profile.connectRetryMax() > 0 && failures >= profile.connectRetryMax() * remotes.size()) {
                    state(ConnectionState.EXITING, lastError, "connect-retry-max reached");
                    break;
                }
                state(ConnectionState.RECONNECTING, lastError, "server poll timeout, next remote now");
                continue;
            }
            if (lastError != null && lastError.haltsReconnect() && !tokenRefused) {
                state(ConnectionState.EXITING, lastError, "not retrying: " + lastError);
                break;
            }
            if (quickNext) {
                // falling back (issue 14): the next transport at once, as after a server poll timeout
                failures++;
                remoteIndex++;
                if (profile.connectRetryMax() > 0 && failures >= profile.connectRetryMax() * remotes.size()) {
                    state(ConnectionState.EXITING, lastError, "connect-retry-max reached");
                    break;
                }
                state(ConnectionState.RECONNECTING, lastError, "falling back, next remote now");
                continue;
            }
            failures = wasConnected ? 1 : failures + 1;
            if (!wasConnected) {
                remoteIndex++;
            }
            long delay = Math.min(profile.connectRetryMaxSeconds(), (long) profile.connectRetrySeconds() << Math.min(failures - 1, 16));
            if (profile.connectRetryMax() > 0 && failures >= profile.connectRetryMax() * remotes.size()) {
                state(ConnectionState.EXITING, lastError, "connect-retry-max reached");
                break;
            }
            String why = lastErrorDetail == null ? "" : lastErrorDetail + "; ";
            state(ConnectionState.RECONNECTING, lastError, why + "retrying in " + delay + " s");
            sleepInterruptibly(delay * 1000);
        }
        state(ConnectionState.DISCONNECTED, null, "");
        LOG.info("Traffic: {}", describe(counters.snapshot()));
        return stopRequested ? null : lastError;
    }

    /** The order, time budget and reasons of falling back between transports; set by {@link #runLoop}. */
    private TransportFallback fallback = new TransportFallback(List.of(), null);
    /** This profile on the network the runner started on ({@link #networkKey}), or null. */
    private String memoryKey;
    /** Which remote worked last on a network; tests put theirs in. */
    private TransportMemory memory = TransportMemory.inDataDir(System.getenv());
    /** Why the last attempt's remote did not work, in a few words ("connection refused"), or null. */
    private String failureReason;
    /** The remote of the current link, and why the remotes before it were passed over (null until connected). */
    private ClientProfile.Remote linkRemote;
    private String linkFallback;

    /** Remembers the transport that worked in {@code m} instead of the user's data folder. */
    void transportMemory(TransportMemory m) {
        this.memory = m;
    }

    /**
     * This profile on this network: its remotes and the route to its first server (device and gateway), or null where
     * the route is not known (no route watch, the name does not resolve).
     */
    private String networkKey(List<ClientProfile.Remote> remotes) {
        NetworkWatch w = watch;
        if (w == null || remotes.isEmpty()) {
            return null;
        }
        try {
            Routes.Route route = w.lookup(InetAddress.getByName(remotes.get(0).host()));
            if (route == null) {
                return null;
            }
            return remotes.stream().map(TransportFallback::key).collect(java.util.stream.Collectors.joining(",")) + " @ "
                    + route.device() + " via " + (route.gateway() == null ? "-" : route.gateway().getHostAddress());
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** A link that could not be opened, in a few words: "connection refused", "no connection in 2 s", or the error. */
    private static String linkFailure(EngineException e, Duration budget) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
            if (t instanceof java.net.SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return "no connection in " + TransportFallback.seconds(budget);
            }
        }
        return e.getMessage();
    }

    /** {@code tun in B out B, link in B out B, dropped {REASON=n, ...}}, reasons in alphabetical order. */
    static String describe(TrafficStats s) {
        return "tun in " + s.tunBytesIn() + " out " + s.tunBytesOut() + ", link in " + s.linkBytesIn() + " out "
                + s.linkBytesOut() + ", dropped " + new TreeMap<>(s.drops());
    }

    private boolean runOnce(ClientProfile.Remote remote) {
        lastError = null;
        serverPollTimedOut = false;
        tokenRefused = false;
        lastErrorDetail = null;
        networkChanged = null;
        resume.reset();
        state(ConnectionState.CONNECTING, null, remote.toString());
        queue.clear();
        Transport transport;
        InetAddress address;
        // openvpn starts the connect-timeout clock before the TCP connect and the proxy set-up, and the server's first
        // packet must arrive within the same budget
        Duration budget = fallback.budget(remote, Duration.ofSeconds(profile.connectTimeoutSeconds()));
        long serverPollDeadline = clock.millis() + budget.toMillis();
        try {
            LinkOpener.Link link = links.open(remote, budget);
            transport = linkFilter.apply(link.transport());
            address = link.peer();
        } catch (EngineException e) {
            lastError = e.kind();
            failureReason = linkFailure(e, budget);
            log(EngineEvent.Level.WARN, e.getMessage());
            return false;
        }
        if (remote.webSocket() instanceof WebSocketRemote ws) {
            log(EngineEvent.Level.INFO, "WebSocket link remote: " + ws.url() + (remote.proxy() == null ? "" : " via proxy " + address.getHostAddress()));
        } else {
            log(EngineEvent.Level.INFO, (remote.tcp() ? "TCP" : "UDP") + " link remote: " + Addresses.text(transport.remote()));
        }
        linkRemote = remote;
        linkFallback = null;
        watchedServer = address;
        if (watch != null) {
            Routes.Route route = watch.follow(address);
            if (route != null) {
                log(EngineEvent.Level.INFO, "Route to " + address.getHostAddress() + " via " + route);
            }
        }
        TunnelSetup tunnel = new TunnelSetup(tunFactory, net, dns, profile.devName(), profile.tap(), profile.tunMtu(),
                profile.network(), Offloads.current().enabled());
        Thread[] tunReader = new Thread[1];
        RunnerIo io = new RunnerIo(transport, tunnel, address.getHostAddress(), remote.toString(), tunReader);
        Thread linkReader = null;
        boolean connected = false;
        try {
            ClientSession session = new ClientSession(profile.sessionSettings(remote.tcp()), io, clock, random);
            io.plane = session.dataPlane();
            if (profile.shaper() > 0) {
                io.shaper = new Shaper(profile.shaper());
                log(EngineEvent.Level.INFO, "Output Traffic Shaping initialized at " + profile.shaper() + " bytes per second");
            }
            session.limits(profile.sessionTimeoutSeconds(), serverPollDeadline);
            session.authToken(authToken, authTokenUser);
            linkReader = Threads.platform("culvert-link-rx").daemon().start(() -> readLink(transport, io));
            session.start();
            long nextTick = clock.millis() + TICK_MILLIS;
            long nextStats = clock.millis() + 1000;
            while (!session.finished()) {
                if (stopRequested) {
                    session.requestExit();
                }
                long now = clock.millis();
                Object ev = queue.poll(Math.max(1, nextTick - now), TimeUnit.MILLISECONDS);
                int batch = 0;
                while (ev != null) {
                    dispatch(session, ev);
                    if (++batch >= 256 || session.finished()) {
                        break;
                    }
                    ev = queue.poll();
                }
                now = clock.millis();
                if (now >= nextTick) {
                    // before the tick: after a sleep, ping-restart has expired too, and would add the retry pause
                    String woke = resume.check();
                    if (woke != null) {
                        dispatch(session, new NetworkChanged(woke));
                    }
                    session.tick();
                    io.addDelayedRoutes(now);
                    nextTick = now + TICK_MILLIS;
                }
                if (now >= nextStats) {
                    listener.onEvent(new EngineEvent.Traffic(Instant.ofEpochMilli(now), counters.snapshot()));
                    nextStats = now + 1000;
                }
                connected |= session.connected();
            }
            if (session.failure() == ErrorKind.AUTH_FAILED) {
                // openvpn's receive_auth_failed: a refused auth token (it may have expired) is dropped and the client
                // restarts to log in with its password, instead of giving up
                tokenRefused = authToken != null;
                authToken = null;
                authTokenUser = null;
            } else {
                authToken = session.authToken();
                authTokenUser = session.authTokenUser();
            }
            if (session.inactive() || session.sessionTimedOut()) {
                stopRequested = true; // like openvpn's SIGTERM on --inactive and --session-timeout: exit, do not reconnect
            } else if (session.serverPollTimedOut()) {
                lastError = ErrorKind.HANDSHAKE_TIMEOUT;
                serverPollTimedOut = true;
                failureReason = "no answer in " + TransportFallback.seconds(budget);
            } else if (session.failure() != null) {
                lastError = session.failure();
                lastErrorDetail = session.failureDetail();
                log(EngineEvent.Level.WARN, session.failure() + ": " + session.failureDetail());
            }
        } catch (EngineException e) {
            lastError = e.kind();
            log(EngineEvent.Level.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (RuntimeException e) {
            lastError = ErrorKind.INTERNAL;
            LOG.error("Session failed unexpectedly", e);
        } finally {
            transport.close();
            tunnel.close();
            refollow(); // the tunnel's routes are gone; that is no network change either
            joinQuietly(linkReader);
            joinQuietly(tunReader[0]);
            info = null;
            tunnelDevice = null;
        }
        return connected;
    }

    private void dispatch(ClientSession session, Object ev) {
        switch (ev) {
            case LinkIn in -> {
                session.onLink(in.data(), 0, in.len()); // the link reader counted its bytes
            }
            case LinkFailed f -> {
                if (!session.finished()) {
                    lastError = ErrorKind.NETWORK_UNREACHABLE;
                    log(EngineEvent.Level.WARN, "Connection lost: " + f.error().getMessage());
                    session.requestExit();
                    forceFinish(session);
                }
            }
            case NetworkChanged n -> {
                if (!session.finished() && networkChanged == null) {
                    networkChanged = n.why();
                    log(EngineEvent.Level.INFO, n.why() + "; reconnecting");
                    session.abandon();
                }
            }
            default -> session.requestExit();
        }
    }

    private static void forceFinish(ClientSession session) {
        while (!session.finished()) {
            session.tick();
            if (!session.finished()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The link reader ({@link LinkToTun}); a failed link is reported to the session. */
    private void readLink(Transport transport, RunnerIo io) {
        try {
            new LinkToTun(io.plane, io, profile.tap(), io::deviceVnet).run(transport);
        } catch (IOException e) {
            queue.offer(new LinkFailed(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The device reader ({@link TunToLink}). */
    private void readTun(TunDevice device, RunnerIo io) {
        int maxSegment = device.mtu() + (device.isTap() ? MAX_L2_HEADER : 0);
        try {
            new TunToLink(io.plane, io, profile.tap(), device.vnetHeaderLength(), maxSegment)
                    .dropRecursive(profile.allowRecursiveRouting() ? null
                            : RecursiveRouting.forLink(io.linkRemote(), io.linkTcp()))
                    .run(device);
        } catch (IOException e) {
            LOG.debug("Device reader stopped: {}", e.getMessage());
        }
    }

    private void state(ConnectionState s, ErrorKind error, String detail) {
        state = s;
        LOG.info("State {}{}", s, detail.isEmpty() ? "" : " (" + detail + ")");
        listener.onEvent(new EngineEvent.StateChanged(clock.instant(), s, error, detail));
    }

    private void log(EngineEvent.Level level, String message) {
        switch (level) {
            case ERROR -> LOG.error(message);
            case WARN -> LOG.warn(message);
            case DEBUG -> LOG.debug(message);
            default -> LOG.info(message);
        }
        listener.onEvent(new EngineEvent.Log(clock.instant(), level, message));
    }

    /**
     * Waits out the retry delay; {@link #stop()} ends it early, and so does a network change (the route to the server
     * came back or moved: no reason to wait). Leftover link/device events are discarded.
     */
    private void sleepInterruptibly(long millis) {
        long deadline = clock.millis() + millis;
        try {
            for (long left = millis; left > 0 && !stopRequested; left = deadline - clock.millis()) {
                Object ev = queue.poll(left, TimeUnit.MILLISECONDS);
                if (ev == STOP) {
                    stopRequested = true;
                } else if (ev instanceof NetworkChanged n) {
                    log(EngineEvent.Level.INFO, n.why() + "; retrying now");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    private static void joinQuietly(Thread t) {
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The session's view of the outside world during one connection. */
    private final class RunnerIo implements SessionIo, DataPathIo {
        private final Transport transport;
        private final TunnelSetup tunnel;
        private final String server;
        private final String remoteDescription;
        private final Thread[] tunReader;
        private final LogThrottle sendFailures = new LogThrottle(SEND_FAILURE_LOG_MILLIS);
        private volatile TunDevice device;
        /** The session thread's copy of a packet behind a virtio header (rare: data normally bypasses the session). */
        private final byte[] sessionWrite = new byte[VirtioNetHdr.LENGTH + Transport.MAX_PACKET];
        /** The session's data plane; set before any reader starts. */
        DataPlane plane;
        /** {@code shaper}: the profile's, or the server's pushed one once the tunnel is configured; null = none. */
        volatile Shaper shaper;
        /** Session thread: the tunnel whose routes route-delay holds back until {@link #routesDueAt}, else null. */
        private ConnectionInfo delayedInfo;
        private long routesDueAt;
        /** Session thread: the session said CONNECTED while the routes were still held back. */
        private boolean connectedHeld;

        RunnerIo(Transport transport, TunnelSetup tunnel, String server, String remoteDescription, Thread[] tunReader) {
            this.transport = transport;
            this.tunnel = tunnel;
            this.server = server;
            this.remoteDescription = remoteDescription;
            this.tunReader = tunReader;
        }

        @Override
        public void sendLink(byte[] packet) {
            sendTrain(packet, 0, packet.length, packet.length);
        }

        /**
         * Session thread and device reader: sends the packets laid back to back in {@code buf[off, off + len)},
         * {@code segmentSize} bytes each (the last possibly shorter); transports send whole packets atomically from
         * several threads. A refused datagram is counted and logged (throttled); a failed link ends the session.
         */
        @Override
        public void sendTrain(byte[] buf, int off, int len, int segmentSize) {
            try {
                Shaper s = shaper;
                if (s == null) {
                    write(buf, off, len, segmentSize);
                } else {
                    int segments = (len + segmentSize - 1) / segmentSize;
                    s.send(len + segments * datagramOverhead(), () -> write(buf, off, len, segmentSize));
                }
                counters.linkBytesOut.add(len);
            } catch (SendRefusedException e) {
                // Datagrams lost, as on a lossy link; the session lives until keepalive says otherwise.
                counters.drop(DropReason.SEND_FAILED, e.datagrams());
                long held = sendFailures.admit(clock.millis());
                if (held >= 0) {
                    ClientRunner.this.log(EngineEvent.Level.WARN, "write to " + Addresses.text(transport.remote()) + " failed: " + e.getMessage()
                            + (held > 0 ? " (" + held + " more since the last report)" : ""));
                }
            } catch (IOException e) {
                queue.offer(new LinkFailed(e));
            }
        }

        private void write(byte[] buf, int off, int len, int segmentSize) throws IOException {
            if (len == segmentSize) {
                transport.send(buf, off, len);
            } else {
                transport.sendTrain(buf, off, len, segmentSize);
            }
        }

        InetSocketAddress linkRemote() {
            return transport.remote();
        }

        boolean linkTcp() {
            return transport.isTcp();
        }

        /** What the kernel adds to each packet on the link, as OpenVPN's {@code datagram_overhead} counts it. */
        private int datagramOverhead() {
            return (ipv6Link() ? 40 : 20) + (transport.isTcp() ? 20 : 8);
        }

        /** Session thread: one opened packet, behind a zero virtio header when the device takes them. */
        @Override
        public void writeTun(byte[] buf, int off, int len) {
            TunDevice dev = device;
            if (dev == null) {
                return;
            }
            if (dev.vnetHeaderLength() == 0) {
                writeDevice(buf, off, len);
            } else {
                synchronized (sessionWrite) {
                    VirtioNetHdr.writeNone(sessionWrite, 0);
                    System.arraycopy(buf, off, sessionWrite, VirtioNetHdr.LENGTH, len);
                    writeDevice(sessionWrite, 0, VirtioNetHdr.LENGTH + len);
                }
            }
            tunIn(len, 1);
        }

        @Override
        public void writeDevice(byte[] buf, int off, int len) {
            TunDevice dev = device;
            if (dev == null) {
                return;
            }
            try {
                dev.write(buf, off, len);
            } catch (IOException e) {
                counters.drop(DropReason.UNEXPECTED);
            }
        }

        /** The device's virtio header length, or -1 before the device is open. */
        int deviceVnet() {
            TunDevice dev = device;
            return dev == null ? -1 : dev.vnetHeaderLength();
        }

        @Override
        public void control(byte[] buf, int off, int len) throws InterruptedException {
            LinkIn in = new LinkIn(Arrays.copyOfRange(buf, off, off + len), len);
            if (transport.isTcp()) {
                queue.put(in); // TCP already delivered it; push back on the stream instead of dropping
            } else if (!queue.offer(in)) {
                counters.drop(DropReason.WINDOW_FULL);
            }
        }

        @Override
        public void tunOut(int bytes, int packets) {
            counters.tunBytesOut.add(bytes);
            counters.tunPacketsOut.add(packets);
        }

        @Override
        public void tunIn(int bytes, int packets) {
            counters.tunBytesIn.add(bytes);
            counters.tunPacketsIn.add(packets);
        }

        @Override
        public void linkIn(int bytes) {
            counters.linkBytesIn.add(bytes);
        }

        @Override
        public void configureTunnel(PushedConfig config, String cipher, String tlsDescription) throws EngineException {
            ClientRunner.this.state(ConnectionState.ASSIGN_IP, null, config.ifconfig() == null ? "" : String.join(" ", config.ifconfig()));
            if (config.shaper() > 0) {
                shaper = new Shaper(config.shaper()); // openvpn: "OPTIONS IMPORT: traffic shaper enabled"
                ClientRunner.this.log(EngineEvent.Level.INFO, "Output Traffic Shaping initialized at "
                        + Math.clamp(config.shaper(), Shaper.MIN, Shaper.MAX) + " bytes per second (pushed)");
            }
            ConnectionInfo ci = tunnel.apply(config, server, remoteDescription, cipher, tlsDescription);
            TunDevice dev = tunnel.device();
            device = dev;
            tunnelDevice = dev.name();
            if (killSwitch != null) {
                killSwitch.follow(dev.name());
            }
            Warmup.stop(); // user packets follow at once: they must not share the CPU with it
            tunReader[0] = Threads.platform("culvert-tun-rx-" + dev.name()).daemon().start(() -> readTun(dev, this));
            log(EngineEvent.Level.INFO, "Data Channel: cipher " + cipher + ", " + tlsDescription + ", device " + ci.device()
                    + (ci.ipv4() != null ? " " + ci.ipv4() : "") + (dev.vnetHeaderLength() > 0 ? ", offloads " + dev.offloads() : ""));
            if (!tunnel.dnsResult().isEmpty()) {
                log(tunnel.dnsFailed() ? EngineEvent.Level.WARN : EngineEvent.Level.INFO, tunnel.dnsResult());
            }
            if (tunnel.routeDelaySeconds() >= 0) {
                // route-delay: the tunnel carries traffic now; routes and "Initialization Sequence Completed" follow.
                delayedInfo = ci;
                routesDueAt = clock.millis() + tunnel.routeDelaySeconds() * 1000L;
                log(EngineEvent.Level.INFO, "Routes in " + tunnel.routeDelaySeconds() + " s (route-delay)");
                return;
            }
            initialized(ci);
        }

        /** Session thread, each tick: installs the routes route-delay held back once their time has come. */
        void addDelayedRoutes(long now) {
            if (delayedInfo == null || now < routesDueAt) {
                return;
            }
            ConnectionInfo ci = tunnel.addRoutes(delayedInfo);
            delayedInfo = null;
            initialized(ci);
            if (connectedHeld) {
                connectedHeld = false;
                ClientRunner.this.state(ConnectionState.CONNECTED, null, "");
            }
        }

        /** Session thread: a PUSH_UPDATE changed the pushed configuration; routes and DNS follow, the app is told. */
        @Override
        public void updateTunnel(PushedConfig previous, PushedConfig next, List<String> changes) {
            List<String> notes = new ArrayList<>();
            ConnectionInfo before = delayedInfo != null ? delayedInfo : info;
            if (before == null) {
                return;
            }
            ConnectionInfo ci = tunnel.update(next, before, notes).withLink(before.transport(), before.fallback());
            for (String n : notes) {
                log(EngineEvent.Level.INFO, "PUSH_UPDATE: " + n);
            }
            if (delayedInfo != null) {
                delayedInfo = ci;
                return;
            }
            for (ConnectionInfo.FailedRoute f : ci.failedRoutes()) {
                log(EngineEvent.Level.WARN, "Route " + f.route() + " not added: " + f.reason());
            }
            info = ci;
            refollow();
            log(EngineEvent.Level.INFO, "PUSH_UPDATE applied: " + String.join(", ", changes) + "; routes now " + ci.routes());
            listener.onEvent(new EngineEvent.Connected(clock.instant(), ci));
        }

        /** The routes are in (or failed): reports them and announces the tunnel, as openvpn does at this point. */
        private void initialized(ConnectionInfo ci) {
            ClientRunner.this.state(ConnectionState.ADD_ROUTES, null, "");
            if (linkFallback == null && linkRemote != null) {
                linkFallback = fallback.connected(linkRemote);
                if (!linkFallback.isEmpty()) {
                    log(EngineEvent.Level.INFO, "Fell back: " + linkFallback);
                }
                if (fallback.mixed() && memoryKey != null) {
                    try {
                        memory.remember(memoryKey, TransportFallback.key(linkRemote));
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("Not remembered which transport worked: {}", e.getMessage());
                    }
                }
            }
            if (linkRemote != null) {
                ci = ci.withLink(TransportFallback.transport(linkRemote), linkFallback);
            }
            info = ci;
            for (ConnectionInfo.FailedRoute f : ci.failedRoutes()) {
                log(EngineEvent.Level.WARN, "Route " + f.route() + " not added: " + f.reason());
            }
            refollow();
            log(EngineEvent.Level.INFO, "Initialization Sequence Completed");
            listener.onEvent(new EngineEvent.Connected(clock.instant(), ci));
        }

        @Override
        public void state(ConnectionState s, String detail) {
            if (s == ConnectionState.CONNECTED && delayedInfo != null) {
                connectedHeld = true; // announced once the delayed routes are in
                return;
            }
            ClientRunner.this.state(s, null, detail);
        }

        @Override
        public void log(EngineEvent.Level level, String message) {
            ClientRunner.this.log(level, message);
        }

        @Override
        public void dropped(DropReason reason) {
            counters.drop(reason);
        }

        /** UDP only: over TCP the connection itself was answered, so silence means something else. */
        @Override
        public void noAnswer(int packets, long millis) {
            if (transport.isTcp()) {
                return;
            }
            ClientRunner.this.log(EngineEvent.Level.WARN, "Sent " + packets + " handshake packets to "
                    + Addresses.text(transport.remote()) + ", no answer yet (a blocked UDP port or a wrong address looks the same)");
            listener.onEvent(new EngineEvent.NoAnswer(clock.instant(), remoteDescription, packets, Duration.ofMillis(millis)));
        }

        @Override
        public boolean ipv6Link() {
            return transport.remote().getAddress() instanceof java.net.Inet6Address;
        }
    }

    /** Thread-safe traffic counters. */
    private static final class Counters {
        final LongAdder tunBytesIn = new LongAdder();
        final LongAdder tunBytesOut = new LongAdder();
        final LongAdder tunPacketsIn = new LongAdder();
        final LongAdder tunPacketsOut = new LongAdder();
        final LongAdder linkBytesIn = new LongAdder();
        final LongAdder linkBytesOut = new LongAdder();
        final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

        Counters() {
            for (DropReason r : DropReason.values()) {
                drops.put(r, new LongAdder());
            }
        }

        void drop(DropReason reason) {
            drops.get(reason).increment();
        }

        void drop(DropReason reason, int n) {
            drops.get(reason).add(n);
        }

        TrafficStats snapshot() {
            Map<String, Long> d = new LinkedHashMap<>();
            drops.forEach((k, v) -> {
                long n = v.sum();
                if (n > 0) {
                    d.put(k.name(), n);
                }
            });
            return new TrafficStats(tunBytesIn.sum(), tunBytesOut.sum(), tunPacketsIn.sum(), tunPacketsOut.sum(),
                    linkBytesIn.sum(), linkBytesOut.sum(), d);
        }
    }
}
