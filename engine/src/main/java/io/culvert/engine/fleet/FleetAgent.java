package io.culvert.engine.fleet;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.common.Threads;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.net.IpPrefix;
import io.culvert.engine.server.ServerPlan;
import io.culvert.engine.server.ServerRunner;
import io.culvert.engine.server.route.RemoteFlows;
import io.culvert.engine.store.FleetClient;
import io.culvert.engine.store.FleetEvent;
import io.culvert.engine.store.FleetFlow;
import io.culvert.engine.store.FleetInstance;
import io.culvert.engine.store.FleetRemoteFlow;
import io.culvert.engine.store.FleetRepository;
import io.culvert.engine.store.FleetRevocation;
import io.culvert.engine.store.FleetServer;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.tls.RevokedSerials;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's part in a fleet (ADR 0055). {@link #join} registers the server, claims its pools (an overlap with
 * another server's refuses the start, naming it) and reads every revocation and client route; {@link #apply} puts the
 * revoked serials at the plan's TLS verify and the fleet routes into its pushes; {@link #start} runs one thread that
 * hears revocations and route changes as they are committed anywhere (LISTEN/NOTIFY), reports the heartbeat,
 * instances and flows every few seconds, and re-reads everything every half minute. While the database is away the
 * server keeps its last list (also cached in its state folder), refuses new clients once the list is older than
 * {@link FleetOptions#maxAge()} unless fail-open, retries with backoff, and re-reads everything when it is back.
 * Thread-safe.
 */
public final class FleetAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetAgent.class);
    private static final Duration WAIT = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final FleetOptions options;
    private final Store store;
    private final FleetRepository fleet;
    private final InstantSource clock;
    private final RevokedSerials revoked = new RevokedSerials();
    private final RevocationCache cache;
    private final List<String> pools;
    /** The server's counters of its clients' traffic to the other servers' pools (ADR 0056). */
    private final RemoteFlows remote = new RemoteFlows();
    private final List<FleetRemote> remotes;
    private volatile FleetAdmission admission;
    private volatile boolean running = true;
    private volatile Instant readAt;
    /**
     * Until when the revoked set is known to be the database's: the last re-read, or the last time the listening
     * connection answered (it would have delivered any revocation committed before).
     */
    private volatile Instant currentAt;
    /** Every client's fleet settings here as last read (the admission's copy is what the server applies). */
    private volatile Map<String, FleetAdmission.Settings> settingsNow = Map.of();
    private Thread thread;

    private FleetAgent(FleetOptions options, Store store, InstantSource clock, List<String> pools, List<FleetRemote> remotes) {
        this.options = options;
        this.remotes = remotes;
        this.store = store;
        this.fleet = store.fleet();
        this.clock = clock;
        this.pools = pools;
        this.cache = new RevocationCache(options.stateDir().resolve("revocations"));
    }

    /**
     * Joins the fleet with the server {@code config} describes: opens the database (migrating it), registers
     * {@link FleetOptions#name()}, claims the config's pools and reads the revocations and routes.
     *
     * @throws EngineException CONFIG_INVALID when a pool overlaps another server's (the message names it) or the
     *     options are refused; NETWORK_UNREACHABLE when the database cannot be reached
     */
    public static FleetAgent join(FleetOptions options, ServerConfig config, InstantSource clock) throws EngineException {
        List<String> pools = FleetPools.of(config);
        List<FleetRemote> remotes;
        try {
            remotes = FleetRemotes.of(options, config);
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "--fleet-remote " + e.getMessage(), e);
        }
        if (FleetRemotes.dialsTheName(options, config)) {
            LOG.warn("fleet: no --fleet-remote and no 'local' address in the config: profiles exported for the fleet will"
                    + " dial this server as '{}' (give --fleet-remote HOST[:PORT[:PROTO]] with an address clients can reach)",
                    remotes.getFirst());
        }
        Store store;
        try {
            store = Store.open(withTimeouts(options.url()), options.login(), clock);
        } catch (StoreException e) {
            throw failure("cannot open the fleet's database: ", e);
        }
        FleetAgent agent = new FleetAgent(options, store, clock, pools, remotes);
        try {
            agent.register();
            agent.rereadAll();
            return agent;
        } catch (StoreException | EngineException e) {
            store.close();
            throw e instanceof EngineException ee ? ee : failure("", (StoreException) e);
        }
    }

    /**
     * {@code plan} with the fleet's revoked serials at its TLS verify, its clients' routes and static addresses in its
     * admission, and its counters of traffic to the other servers' pools.
     */
    public ServerPlan apply(ServerPlan plan) {
        admission = new FleetAdmission(plan.admission());
        admission.replaceAll(settingsNow);
        return plan.withRevocation(revoked).withAdmission(admission).withRemoteFlows(remote);
    }

    /** Starts the agent's thread, which acts on the server {@code server} returns (null while none runs). */
    public void start(Supplier<ServerRunner> server) {
        thread = Threads.platform("fleet-" + options.name()).start(() -> loop(server));
    }

    /** The serials revoked now, as the server enforces them. */
    public Set<BigInteger> revoked() {
        return revoked.serials();
    }

    /** The addresses this server registered for clients to dial, in order. */
    public List<FleetRemote> remotes() {
        return remotes;
    }

    /** The pools this server holds in the fleet. */
    public List<String> pools() {
        return pools;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            fleet.report(options.name(), clock.instant(), List.of(), List.of()); // no ghost clients in the topology
        } catch (StoreException e) {
            LOG.info("fleet: could not clear this server's report on the way out: {}", e.getMessage());
        }
        store.close();
    }

    // ---- joining ----------------------------------------------------------------------------------------------

    private void register() throws EngineException {
        boolean fresh = fleet.find(options.name()).isEmpty();
        FleetServer me = fleet.heartbeat(options.name(), clock.instant());
        fleet.registerRemotes(options.name(), remotes);
        Set<String> wanted = new HashSet<>(pools);
        for (String held : me.pools()) {
            if (!wanted.remove(held)) {
                fleet.releasePool(options.name(), held); // the config changed since this server last ran
                LOG.info("fleet: gave back pool {} (no longer in the config)", held);
            }
        }
        for (String p : pools) {
            if (wanted.contains(p)) {
                try {
                    fleet.claimPool(options.name(), p);
                } catch (StoreException e) {
                    if (fresh) {
                        fleet.forget(options.name()); // a server whose first start is refused leaves no trace
                    }
                    if (e.kind() == StoreException.Kind.DUPLICATE) {
                        throw new EngineException(ErrorKind.CONFIG_INVALID, "fleet: cannot claim pool " + p + ": "
                                + e.getMessage() + "; give this server a pool of its own", e);
                    }
                    throw e;
                }
            }
        }
        LOG.info("fleet: server '{}' joined with pools {}; clients dial it at {}", options.name(), pools, remotes);
    }

    // ---- the loop ---------------------------------------------------------------------------------------------

    private void loop(Supplier<ServerRunner> server) {
        FleetRepository.FleetFeed feed = null;
        long nextBeat = 0;
        long nextReread = clock.millis() + options.reread().toMillis();
        Duration backoff = Duration.ofSeconds(1);
        boolean down = false;
        while (running) {
            try {
                if (feed == null) {
                    // Listening first, then reading, so nothing committed in between is missed (also what was
                    // committed between join's read and this first LISTEN).
                    feed = fleet.listen();
                    rereadAll();
                    routesChanged(server);
                    if (down) {
                        LOG.info("fleet: the database is back; revocations and routes read again");
                        nextBeat = 0;
                    }
                    down = false;
                    backoff = Duration.ofSeconds(1);
                }
                Instant asked = clock.instant();
                for (FleetEvent e : feed.await(WAIT)) {
                    switch (e) {
                        case FleetEvent.Revoked r -> revoke(r.serial());
                        case FleetEvent.ClientChanged c -> clientChanged(server, c.commonName());
                    }
                }
                currentAt = asked;
                long now = clock.millis();
                if (now >= nextBeat) {
                    report(server.get());
                    nextBeat = now + options.heartbeat().toMillis();
                }
                if (now >= nextReread) {
                    rereadAll();
                    routesChanged(server);
                    nextReread = now + options.reread().toMillis();
                }
            } catch (StoreException e) {
                if (!running) {
                    break;
                }
                if (!down) {
                    LOG.warn("fleet: the database is unreachable ({}); serving with the revocation list current at {}",
                            e.getMessage(), currentAt);
                }
                down = true;
                if (feed != null) {
                    feed.close();
                    feed = null;
                }
                try {
                    for (long slept = 0; slept < backoff.toMillis() && running; slept += 1000) {
                        gate(); // the door closes on time, not only when a retry fails
                        Thread.sleep(Math.min(1000, backoff.toMillis() - slept));
                    }
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            } catch (RuntimeException e) {
                LOG.warn("fleet: {}", e.toString());
            }
            gate();
        }
        if (feed != null) {
            feed.close();
        }
    }

    /** Closes or opens the door to new clients by the age of the revocation list. */
    private void gate() {
        Instant at = currentAt;
        Duration age = at == null ? Duration.ofDays(365) : Duration.between(at, clock.instant());
        if (age.compareTo(options.maxAge()) > 0 && !options.failOpen()) {
            if (revoked.refusingNew() == null) {
                LOG.warn("fleet: the revocation list is {} s old (limit {} s); new clients are refused until the database"
                        + " is back (--fleet-fail-open accepts them)", age.toSeconds(), options.maxAge().toSeconds());
            }
            revoked.refuseNew("the fleet's revocation list is " + age.toSeconds() + " s old (database unreachable);"
                    + " new clients are refused");
        } else if (revoked.refusingNew() != null) {
            revoked.refuseNew(null);
            LOG.info("fleet: new clients are accepted again");
        }
    }

    private void revoke(BigInteger serial) {
        if (revoked.add(serial)) {
            LOG.info("fleet: certificate serial {} revoked; its clients are dropped", serial.toString(16));
            saveCache();
        }
    }

    /** Re-reads every revocation and every client's routes (the safety net, and after an outage). */
    private void rereadAll() {
        Instant at = clock.instant();
        Set<BigInteger> all = new HashSet<>();
        for (FleetRevocation r : fleet.revocations()) {
            all.add(r.serial());
        }
        Map<String, FleetAdmission.Settings> settings = new HashMap<>();
        for (FleetClient c : fleet.clients()) {
            FleetAdmission.Settings here = settingsOf(c);
            if (!here.isEmpty()) {
                settings.put(c.commonName(), here);
            }
        }
        for (BigInteger s : all) {
            if (readAt != null && !revoked.serials().contains(s)) {
                LOG.info("fleet: certificate serial {} revoked (read from the database)", s.toString(16));
            }
        }
        revoked.replace(all);
        readAt = at;
        currentAt = at;
        saveCache();
        settingsNow = Map.copyOf(settings);
    }

    /** Client {@code c}'s settings on this server: its routes and its address here. */
    private FleetAdmission.Settings settingsOf(FleetClient c) {
        return new FleetAdmission.Settings(c.routes(), c.addressOn(options.name()));
    }

    /** After a re-read: sends every client whose routes or address here differ from what the server had its new ones. */
    private void routesChanged(Supplier<ServerRunner> server) {
        FleetAdmission a = admission;
        if (a == null) {
            return;
        }
        Set<String> names = new HashSet<>(settingsNow.keySet());
        names.addAll(a.names());
        for (String cn : names) {
            if (a.set(cn, settingsNow.getOrDefault(cn, FleetAdmission.Settings.NONE))) {
                RoutePush.send(server.get(), cn);
            }
        }
    }

    private void clientChanged(Supplier<ServerRunner> server, String commonName) {
        FleetAdmission.Settings here = fleet.client(commonName).map(this::settingsOf).orElse(FleetAdmission.Settings.NONE);
        Map<String, FleetAdmission.Settings> next = new HashMap<>(settingsNow);
        if (here.isEmpty()) {
            next.remove(commonName);
        } else {
            next.put(commonName, here);
        }
        settingsNow = Map.copyOf(next);
        FleetAdmission a = admission;
        if (a != null && a.set(commonName, here)) {
            RoutePush.send(server.get(), commonName);
        }
    }

    private void report(ServerRunner runner) {
        Instant now = clock.instant();
        if (!fleet.heartbeat(options.name(), now).remotes().equals(remotes)) {
            fleet.registerRemotes(options.name(), remotes); // registered again after a 'culvert fleet forget'
        }
        // Another server may have joined or changed its pools: what counts as "another server's client" follows within
        // one heartbeat (one query).
        remote.pools(fleet.poolsOfOthers(options.name()).stream().map(IpPrefix::parse).toList());
        List<FleetInstance> instances = new ArrayList<>();
        List<FleetFlow> flows = new ArrayList<>();
        List<FleetRemoteFlow> between = new ArrayList<>();
        if (runner != null) {
            for (InstanceInfo i : runner.instances()) {
                instances.add(new FleetInstance(options.name(), i.peerId(), i.commonName(), i.realAddress(),
                        i.virtualAddresses(), i.connectedSince(), i.bytesIn(), i.bytesOut()));
            }
            for (FlowEdge f : runner.flows()) {
                flows.add(new FleetFlow(options.name(), f.source(), f.destination(), f.kind(), f.packets(), f.bytes()));
            }
            for (RemoteFlows.Sample f : remote.snapshot()) {
                between.add(new FleetRemoteFlow(options.name(), f.source().value(), f.destination().getHostAddress(), f.packets(),
                        f.bytes()));
            }
        }
        fleet.report(options.name(), now, instances, flows, between);
    }

    private void saveCache() {
        try {
            cache.save(revoked.serials(), readAt == null ? clock.instant() : readAt);
        } catch (IOException e) {
            LOG.warn("fleet: cannot write {}: {}", cache.file(), e.getMessage());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The URL with connect and socket timeouts unless it names its own, so a lost database fails calls, not hangs them. */
    static String withTimeouts(String url) {
        StringBuilder b = new StringBuilder(url);
        String sep = url.contains("?") ? "&" : "?";
        if (!url.contains("connectTimeout=")) {
            b.append(sep).append("connectTimeout=5");
            sep = "&";
        }
        if (!url.contains("socketTimeout=")) {
            b.append(sep).append("socketTimeout=20");
        }
        return b.toString();
    }

    private static EngineException failure(String prefix, StoreException e) {
        ErrorKind kind = e.kind() == StoreException.Kind.IO ? ErrorKind.NETWORK_UNREACHABLE : ErrorKind.CONFIG_INVALID;
        return new EngineException(kind, prefix + e.getMessage(), e);
    }
}
