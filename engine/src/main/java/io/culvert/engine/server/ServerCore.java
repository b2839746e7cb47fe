package io.culvert.engine.server;

import io.culvert.engine.net.IpPrefix;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.DropTally;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.server.route.RemoteFlows;
import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's I/O-free hub: takes what the runner read (a datagram, a TCP packet, a device packet, a tick) and hands
 * it to the part that owns it — {@link StatelessStart} for addresses without an instance, the {@link InstanceTable}
 * to find the instance (by peer-id, then real address; floating), the {@link PacketSwitch} to route, the
 * {@link InstanceLifecycle} for everything from admission to removal, {@link DropTally} for drops. What goes out on
 * the link goes through the runner's {@link LinkOutput}; what goes to the device through {@link Device}. Not
 * thread-safe: the server thread owns it; {@link #instances()}, {@link #flows()}, {@link #drops()} and
 * {@link #instancesCreated()} are safe to read from any thread.
 */
public final class ServerCore implements ServerSession.Io {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    /** Writes a packet or frame to the server's device. */
    @FunctionalInterface
    public interface Device {
        void write(byte[] buf, int off, int len);
    }

    private final ServerSettings settings;
    /** The settings of a client over UDP and over TCP: a server with UDP and TCP sockets has both (OpenVPN 2.7). */
    private final ServerSettings udpSettings;
    private final ServerSettings tcpSettings;
    private final InstantSource clock;
    private final SecureRandom random;
    private final LinkOutput link;
    private final DropTally drops = new DropTally();
    private final InstanceTable table;
    private final StatelessStart stateless;
    private ConnectLimits limits;
    private final PacketSwitch packets;
    private final InstanceLifecycle lifecycle;
    private final PushUpdates updates;
    /** At most one "write failed" line per 5 s for all clients; every failure is counted as {@link DropReason#SEND_FAILED}. */
    private final LogThrottle sendFailures = new LogThrottle(5000);

    ServerCore(ServerSettings settings, Admission admission, Device device, LinkOutput link, boolean clientToClient,
            PairPolicy pairPolicy, Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn, EngineListener listener,
            InstantSource clock, SecureRandom random, Executor serverThread) {
        this.settings = settings;
        this.udpSettings = settings.tcp() ? settings.withTcp(false) : settings;
        this.tcpSettings = settings.tcp() ? settings : settings.withTcp(true);
        this.clock = clock;
        this.random = random;
        this.link = link;
        this.table = new InstanceTable(maxClients);
        this.stateless = new StatelessStart(settings.wrap(), settings.handWindow(), clock, random);
        this.packets = new PacketSwitch(table, device, drops, clock, settings.tap(), clientToClient, pairPolicy,
                subnetBroadcast);
        this.lifecycle = new InstanceLifecycle(settings, admission, table, packets, link, duplicateCn, listener, clock,
                serverThread);
        this.updates = new PushUpdates(admission, table, packets, lifecycle);
    }

    // ---- link input -------------------------------------------------------------------------------------

    /**
     * One datagram from {@code from} on the server's UDP socket; {@code buf} is the caller's again on return, and the
     * core may have overwritten it meanwhile (a data packet is decrypted in place, ADR 0018).
     */
    public void onUdp(InetSocketAddress from, byte[] buf, int len) {
        onUdp(new LinkEndpoint.Udp(from), buf, len);
    }

    /**
     * One datagram from {@code via}'s address on the UDP socket (and to the local address) it names; the runner
     * keeps one {@code via} per sender, so a steady stream allocates nothing.
     */
    void onUdp(LinkEndpoint.Udp via, byte[] buf, int len) {
        InetSocketAddress from = via.address();
        if (len < 1) {
            drops.count(DropReason.TRUNCATED);
            return;
        }
        if (toInstance(via, buf, 0, len)) {
            return;
        }
        switch (stateless.handle(from, buf, len)) {
            case StatelessStart.Verdict.Drop(DropReason reason) -> drops.count(reason);
            case StatelessStart.Verdict.Reply(byte[] datagram) -> link.send(via, datagram);
            case StatelessStart.Verdict.Start(long serverSid, long clientSid) -> start(via, serverSid, clientSid, buf, len);
        }
    }

    /**
     * The run-to-completion fast path (ADR 0041): one datagram at {@code buf[off, off + len)}, handled here and now
     * only when it is a data packet ({@code P_DATA_V1}/{@code V2}) for an instance, exactly as {@link #onUdp} would
     * handle it (opened in place, floated, routed, counted); returns false and does nothing for anything else (control
     * packets, unknown peers, the stateless start), which the caller hands to the server thread as before.
     */
    boolean onUdpData(LinkEndpoint.Udp via, byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        int opcode = (buf[off] & 0xff) >>> 3;
        if (opcode != Opcode.DATA_V2.code() && opcode != Opcode.DATA_V1.code()) {
            return false;
        }
        return toInstance(via, buf, off, len);
    }

    /** Feeds a datagram to the instance its peer-id or its sender names (floating on an authenticated one); false: none. */
    private boolean toInstance(LinkEndpoint.Udp via, byte[] buf, int off, int len) {
        InetSocketAddress from = via.address();
        int opcode = (buf[off] & 0xff) >>> 3;
        if (opcode == Opcode.DATA_V2.code() && len >= 4) {
            int peerId = ((buf[off + 1] & 0xff) << 16) | ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
            Instance inst = table.byPeerId(peerId);
            if (inst != null) {
                boolean authenticated = inst.session.onLink(buf, off, len);
                if (authenticated && inst.endpoint != via && !inst.endpoint.equals(via)
                        && inst.endpoint instanceof LinkEndpoint.Udp) {
                    InetSocketAddress was = inst.endpoint.address();
                    if (table.floatTo(inst, via) && !was.equals(from)) {
                        LOG.info("{} floated from {} to {}", inst.label(), Addresses.text(was), Addresses.text(from));
                    }
                }
                return true;
            }
        }
        Instance inst = table.byAddress(from);
        if (inst != null) {
            inst.session.onLink(buf, off, len);
            return true;
        }
        return false;
    }

    private void start(LinkEndpoint.Udp via, long serverSid, long clientSid, byte[] buf, int len) {
        InetSocketAddress from = via.address();
        if (table.knownClientSession(clientSid)) {
            // A valid cookie for a session that already has an instance (say, one that floated away from this
            // address) is a replay of its handshake; a restarted client always brings a new session id.
            drops.count(DropReason.REPLAY);
            return;
        }
        if (limits != null && !limits.sessionAllowed()) {
            LOG.info("MULTI: Connection from {} would exceed new connection frequency limit as controlled by"
                    + " --connect-freq", Addresses.text(from));
            drops.count(DropReason.WINDOW_FULL);
            return;
        }
        int peerId = table.freePeerId();
        if (peerId < 0) {
            drops.count(DropReason.WINDOW_FULL);
            return;
        }
        try {
            ServerSession session = ServerSession.afterCookie(udpSettings, this, clock, random, peerId,
                    Addresses.text(from), serverSid, clientSid);
            table.register(peerId, session, via);
            session.onLink(buf, 0, len);
        } catch (EngineException e) {
            LOG.warn("cannot start a session for {}: {}", from, e.getMessage());
        }
    }

    /** A new TCP connection: a stateful session that expects the client's hard reset; null (and closed) when full. */
    public Object onTcpAccepted(LinkEndpoint.Tcp endpoint) {
        int peerId = table.freePeerId();
        if (peerId < 0) {
            link.close(endpoint);
            return null;
        }
        ServerSession session = new ServerSession(tcpSettings, this, clock, random, peerId,
                Addresses.text(endpoint.address()));
        return table.register(peerId, session, endpoint);
    }

    /** One packet on a TCP connection; {@code handle} is what {@link #onTcpAccepted} returned. */
    public void onTcp(Object handle, byte[] buf, int len) {
        if (handle instanceof Instance inst && table.holds(inst)) {
            inst.session.onLink(buf, 0, len);
        }
    }

    public void onTcpClosed(Object handle) {
        if (handle instanceof Instance inst && table.holds(inst)) {
            lifecycle.remove(inst, "connection closed");
        }
    }

    /** Counts a packet a reader dropped before it reached the core (say, {@link DropReason#OVERSIZED}); any thread. */
    void dropped(DropReason reason) {
        drops.count(reason);
    }

    /**
     * The runner could not send a packet to {@code to}: one refused datagram is counted as on a lossy link; a TCP
     * connection that cannot be written is broken, as in OpenVPN, and is closed (its reader then reports it closed).
     */
    void sendFailed(LinkEndpoint to, IOException e) {
        if (e instanceof SendRefusedException refused) {
            drops.count(DropReason.SEND_FAILED, refused.datagrams());
            long held = sendFailures.admit(clock.millis());
            if (held >= 0) {
                LOG.warn("write to {} failed: {}{}", Addresses.text(to.address()), e.getMessage(),
                        held > 0 ? " (" + held + " more since the last report)" : "");
            }
        } else {
            LOG.info("write to {} failed: {}; closing the connection", Addresses.text(to.address()), e.getMessage());
            link.close(to);
        }
    }

    // ---- device input -----------------------------------------------------------------------------------

    /** One packet or frame read from the server's device; {@code buf} is the caller's again on return. */
    public void onDevice(byte[] buf, int len) {
        packets.fromDevice(buf, 0, len);
    }

    /** One packet or frame read from the device at {@code buf[off, off + len)}; the buffer is the caller's again on return. */
    void onDevice(byte[] buf, int off, int len) {
        packets.fromDevice(buf, off, len);
    }

    // ---- ServerSession.Io -------------------------------------------------------------------------------

    @Override
    public void sendLink(ServerSession session, byte[] packet) {
        sendLink(session, packet, 0, packet.length);
    }

    @Override
    public void sendLink(ServerSession session, byte[] buf, int off, int len) {
        Instance inst = table.byPeerId(session.peerId());
        if (inst != null && inst.session == session) {
            link.send(inst.endpoint, buf, off, len);
        }
    }

    @Override
    public void deliver(ServerSession session, byte[] payload) {
        deliver(session, payload, 0, payload.length);
    }

    @Override
    public void deliver(ServerSession session, byte[] buf, int off, int len) {
        Instance inst = table.byPeerId(session.peerId());
        if (inst != null && inst.session == session) {
            packets.fromInstance(inst.id, buf, off, len);
        }
    }

    /** Sets the client-connect/client-disconnect scripts; call before the first client arrives. */
    /** {@code connect-freq} and {@code connect-freq-initial} for UDP clients; call before the server runs. */
    void connectLimits(ConnectLimits l) {
        this.limits = l;
        stateless.limits(l);
    }

    public void scripts(ConnectScripts s) {
        lifecycle.scripts(s);
    }

    /** Counts clients' traffic to other fleet servers' pools in {@code flows} (null: not); before the first packet. */
    void remoteFlows(RemoteFlows flows) {
        packets.remoteFlows(flows);
    }

    @Override
    public boolean wantsClientConnect(ServerSession session) {
        return lifecycle.wantsClientConnect();
    }

    @Override
    public void clientConnect(ServerSession session) {
        lifecycle.clientConnect(session);
    }

    @Override
    public void checkPassword(ServerSession session, PasswordCheck.Request request) {
        lifecycle.checkPassword(session, request);
    }

    @Override
    public List<String> admit(ServerSession session) throws EngineException {
        return lifecycle.admit(session);
    }

    @Override
    public void log(ServerSession session, String message) {
        Instance inst = table.bySession(session);
        LOG.info("{} {}", inst == null ? "?" : inst.label(), message);
    }

    @Override
    public void renegotiated(ServerSession session) {
        lifecycle.renegotiated(session);
    }

    @Override
    public boolean ipv6Link(ServerSession session) {
        Instance inst = table.bySession(session);
        return inst != null && inst.endpoint.address().getAddress() instanceof Inet6Address;
    }

    @Override
    public void dropped(ServerSession session, DropReason reason) {
        drops.count(reason);
    }

    // ---- timers, commands, queries ----------------------------------------------------------------------

    public void tick() {
        lifecycle.tick();
    }

    /** Tells the client to reconnect and removes it; false if no such instance. */
    public boolean kick(int peerId) {
        return kick(peerId, found -> { });
    }

    /**
     * Kicks client {@code peerId}; {@code answer} hears whether it was there once it is off the instance list and
     * before any listener does, so a caller waiting for the answer never waits on a listener it is blocking.
     */
    public boolean kick(int peerId, Consumer<Boolean> answer) {
        return lifecycle.kick(peerId, answer);
    }

    /** Tells every client the server is going away (explicit-exit-notify) so they reconnect elsewhere. */
    /** Server thread: sends a PUSH_UPDATE to client {@code peerId}, or to all when negative; how many got it. */
    public int pushUpdate(int peerId, List<io.culvert.engine.protocol.PushUpdate.Item> items) {
        return updates.pushUpdate(peerId, items);
    }

    /** Server thread: re-sends the routes of {@code commonName}'s connected instances after its ccd entry changed. */
    public int refreshRoutes(String commonName) throws EngineException {
        return updates.refreshRoutes(commonName);
    }

    public void shutdown() {
        lifecycle.shutdown();
    }

    public int instanceCount() {
        return table.size();
    }

    /** Instances allocated since start (cookie-verified UDP clients, accepted TCP connections); any thread may read it. */
    public long instancesCreated() {
        return table.created();
    }

    public List<InstanceInfo> instances() {
        return lifecycle.instances();
    }

    public List<FlowEdge> flows() {
        return packets.flows();
    }

    public Map<String, Long> drops() {
        return drops.snapshot();
    }

    /** Sessions refused for a certificate name other than the proxy verified (ADR 0050); any thread. */
    public long cnMismatches() {
        return lifecycle.cnMismatches();
    }

    /** Clients' packets the router or switch dropped since start, by cause (only causes seen); any thread. */
    public Map<String, Long> switchDrops() {
        return packets.dropTotals();
    }

    // ---- path check (ADR 0044) --------------------------------------------------------------------------

    /**
     * What the path check reads about A and B now. Immutable.
     *
     * @param a A's instance, or null
     * @param target B's address (asked, or B's first tunnel address), or null
     * @param byName whether B was named by common name
     * @param b the instance owning {@code target}, or null
     * @param bIroute the iroute of {@code b} covering {@code target}, or null
     * @param counters A's counters towards B now
     */
    record PathView(PathDiagnosis.Peer a, InetAddress target, boolean byName, PathDiagnosis.Peer b, String bIroute,
            PathDiagnosis.Counters counters) {}

    /** Server thread: A ({@code from}, a common name) and B ({@code to}, a common name or an IP address) now. */
    PathView pathView(String from, String to) {
        Instance a = admittedByName(from);
        InetAddress literal = literal(to);
        boolean byName = literal == null;
        Instance b = null;
        InetAddress target = literal;
        String iroute = null;
        if (byName) {
            b = admittedByName(to);
            if (b != null && !b.addresses.isEmpty()) {
                target = b.addresses.stream().filter(x -> x instanceof Inet4Address).findFirst()
                        .orElse(b.addresses.getFirst());
            }
        } else {
            io.culvert.engine.server.route.InstanceId owner = packets.ownerOf(literal);
            b = owner == null ? null : table.byPeerId(owner.value());
            if (b != null && b.admitted == null) {
                b = null;
            }
            if (b != null && !b.addresses.contains(literal)) {
                for (io.culvert.engine.net.IpPrefix p : packets.iroutesOf(b.id)) {
                    if (p.isIpv4() == (literal instanceof Inet4Address)
                            && new io.culvert.engine.net.IpPrefix(literal, p.length()).equals(p)) {
                        iroute = p.toString();
                    }
                }
            }
        }
        PathDiagnosis.Counters counters = a == null ? PathDiagnosis.Counters.NONE
                : packets.counters(a.id, b == null ? null : b.id);
        return new PathView(peer(a), target, byName, peer(b), iroute, counters);
    }

    /** Server thread: the path check's echo replies are taken out of the traffic for {@code p} (null: no more). */
    void probe(PathProbe p) {
        packets.probe(p);
    }

    /** Server thread: sends one probe packet towards its target as if the server's host had. */
    void sendProbe(byte[] packet) {
        packets.inject(packet);
    }

    private Instance admittedByName(String commonName) {
        for (Instance inst : table.all()) {
            if (inst.admitted != null && commonName.equals(inst.session.commonName())) {
                return inst;
            }
        }
        return null;
    }

    private static PathDiagnosis.Peer peer(Instance inst) {
        return inst == null ? null : new PathDiagnosis.Peer(inst.session.commonName(), inst.id.value(), inst.addresses,
                inst.admitted.iroutes(), inst.admitted.pushes());
    }

    /** {@code text} as an IP address literal, or null when it is not one (a common name). */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(ch -> ch == '.'
                || Character.isDigit(ch)))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
