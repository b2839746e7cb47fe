package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.config.KillSwitch;
import io.culvert.engine.sys.LinuxPacketFilter;
import io.culvert.engine.sys.Offloads;
import io.culvert.engine.sys.PacketFilter;
import io.culvert.engine.sys.Routes;
import io.culvert.engine.sys.SuspendClock;
import io.culvert.engine.transport.Transport;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.TunFactory;
import io.culvert.engine.warmup.Warmup;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a client profile: connects to each remote in turn, drives a {@link ClientSession} on its own thread,
 * reconnects with backoff, and tears the device and routes down on the way out. It owns and wires the parts, each
 * with one job: {@link ConnectionAttempts} (one attempt: link, session, tunnel), {@link AttemptIo} (the session's
 * outside world), {@link DataThreads} (the two data threads), {@link RetryPolicy} (when and where next),
 * {@link TransportChoice} (transport fallback and memory), {@link ServerRouteWatch} (network changes),
 * {@link HeldKillSwitch}, {@link RunnerQueue} (the session thread's inbox) and {@link RunnerStatus} (state and
 * events). Threads, run to completion: the caller of {@link #run()} owns the session and its timers; the device
 * reader reads a packet, clamps its MSS, seals it in place with the session's published
 * {@link io.culvert.engine.session.DataPlane} keys and sends it; the link reader receives, opens a data packet in
 * place, clamps and writes it to the device. Only control packets (and link failures, stop and reconnect requests)
 * cross the small bounded queue to the session thread; no data packet does (a peer sends on a new key only after we
 * acknowledged its key exchange, and the session publishes the keys before that acknowledgement). {@link #stop()},
 * {@link #reconnect()} and the getters may be called from any thread.
 */
public final class ClientRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRunner.class);

    private final ClientProfile profile;
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final DnsConfig dns;
    private final InstantSource clock;
    private final RunnerQueue events = new RunnerQueue();
    private final RunnerStatus status;
    private final TrafficCounters counters = new TrafficCounters();
    private final LinkOpener links;
    private final UnaryOperator<Transport> linkFilter;
    /** The kernel's routes the client follows (tests), or null for rtnetlink's. */
    private Routes routes;
    /** Where the kill switch's rules go ({@link KillSwitchRules}); tests pass a double. */
    private PacketFilter packetFilter = new LinuxPacketFilter();
    /** The clock whose jumps say the machine slept ({@link ResumeWatch}); tests pass their own. */
    private SuspendClock suspendClock = SuspendClock.linux();
    /** Which remote worked last on a network; tests put theirs in. */
    private TransportMemory memory = TransportMemory.inDataDir(System.getenv());

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
        this.tunFactory = tunFactory;
        this.net = net;
        this.clock = clock;
        this.status = new RunnerStatus(listener, clock);
        this.links = new LinkOpener(profile.localBind(), profile.prompt(), profile.bindDev(), status::warn)
                .presenting(profile.proxyKeyManager());
    }

    public void stop() {
        events.requestStop();
    }

    /** Ends the current connection (as on SIGUSR1) and connects again after the usual retry pause. */
    public void reconnect() {
        events.offer(RunnerQueue.Request.RECONNECT);
    }

    public ConnectionState state() {
        return status.state();
    }

    public ConnectionInfo connectionInfo() {
        return status.info();
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

    /** Remembers the transport that worked in {@code m} instead of the user's data folder. */
    void transportMemory(TransportMemory m) {
        this.memory = m;
    }

    /**
     * Runs until stopped or until a failure that retrying cannot fix; returns that failure, or null. With a kill switch
     * the rules are in place before the first packet and stay through every reconnect; they go when this returns (a
     * disconnect, or giving up), never on a crash.
     */
    public ErrorKind run() {
        ResumeWatch resume = new ResumeWatch(suspendClock);
        KillSwitchRules rules = new KillSwitchRules(packetFilter);
        try {
            rules.removeStale(KillSwitchRules::alive, status::warn);
        } catch (IOException | RuntimeException e) {
            LOG.debug("No stale kill switch removed: {}", e.getMessage());
        }
        HeldKillSwitch killSwitch = null;
        if (profile.killSwitch() != KillSwitch.OFF) {
            try {
                killSwitch = new HeldKillSwitch(rules, HeldKillSwitch.endpoints(profile, status),
                        profile.killSwitch() == KillSwitch.ALLOW_LAN, status);
                status.note("Kill switch on: nothing leaves this machine but the tunnel and " + killSwitch.describe());
            } catch (IOException e) {
                // fail closed: without its rules the profile does not connect at all
                status.state(ConnectionState.EXITING, ErrorKind.PERMISSION_DENIED, "the kill switch could not be put in place: "
                        + e.getMessage());
                return ErrorKind.PERMISSION_DENIED;
            }
        }
        try (ServerRouteWatch watch = ServerRouteWatch.open(routes, events, status)) {
            Warmup.start(clock, Warmup.CLIENT_ROUNDS); // compiles the packet path while the first handshake runs
            TransportChoice transports = new TransportChoice(profile, memory, watch, status);
            RunnerParts parts = new RunnerParts(profile, status, events, counters, clock, watch, transports, killSwitch);
            return runLoop(parts, new ConnectionAttempts(parts, links, linkFilter, this::newTunnel, resume));
        } finally {
            if (killSwitch != null) {
                try {
                    killSwitch.release();
                    status.note("Kill switch off: traffic flows outside the tunnel again");
                } catch (IOException | RuntimeException e) {
                    status.log(EngineEvent.Level.ERROR, "the kill switch could not be taken away: " + e.getMessage()
                            + "; run 'nft delete table inet " + KillSwitchRules.TABLE + "' as root");
                }
            }
        }
    }

    private TunnelSetup newTunnel() {
        return new TunnelSetup(tunFactory, net, dns, profile.devName(), profile.tap(), profile.tunMtu(), profile.network(),
                Offloads.current().enabled());
    }

    /** Attempt after attempt, as {@link RetryPolicy} says, until stopped or given up; the last attempt's error. */
    private ErrorKind runLoop(RunnerParts parts, ConnectionAttempts attempts) {
        TransportChoice transports = parts.transports();
        List<ClientProfile.Remote> remotes = transports.order();
        RetryPolicy retry = new RetryPolicy(profile, remotes);
        ErrorKind lastError = null;
        loop:
        while (!events.stopRequested()) {
            ClientProfile.Remote remote = retry.current();
            ConnectionAttempts.Outcome o = attempts.run(remote);
            lastError = o.error();
            if (events.stopRequested()) {
                break;
            }
            boolean quickNext = !o.connected() && transports.mixed() && o.networkChanged() == null
                    && transports.failed(remote, o.why(), status);
            switch (retry.next(o, quickNext)) {
                case RetryPolicy.Exit e -> {
                    status.state(ConnectionState.EXITING, o.error(), e.detail());
                    break loop;
                }
                case RetryPolicy.Now n -> status.state(ConnectionState.RECONNECTING, n.error(), n.detail());
                case RetryPolicy.Wait w -> {
                    status.state(ConnectionState.RECONNECTING, o.error(), w.detail());
                    waitToRetry(w.seconds() * 1000);
                }
            }
        }
        status.state(ConnectionState.DISCONNECTED, null, "");
        LOG.info("Traffic: {}", TrafficCounters.describe(counters.snapshot()));
        return events.stopRequested() ? null : lastError;
    }

    /**
     * Waits out the retry delay; {@link #stop()} ends it early, and so does a network change (the route to the server
     * came back or moved: no reason to wait). Leftover link/device events are discarded.
     */
    private void waitToRetry(long millis) {
        long deadline = clock.millis() + millis;
        try {
            for (long left = millis; left > 0 && !events.stopRequested(); left = deadline - clock.millis()) {
                RunnerQueue.Event ev = events.poll(left);
                if (ev == RunnerQueue.Request.STOP) {
                    events.markStopped();
                } else if (ev instanceof RunnerQueue.NetworkChanged n) {
                    status.note(n.why() + "; retrying now");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.markStopped();
        }
    }
}
