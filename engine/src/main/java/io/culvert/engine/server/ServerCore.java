package io.culvert.engine.server;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.common.Addresses;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.LogThrottle;
import io.culvert.engine.crypto.ControlWrap;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.protocol.ControlPacket;
import io.culvert.engine.protocol.EarlyNegotiation;
import io.culvert.engine.protocol.Opcode;
import io.culvert.engine.server.route.Endpoint;
import io.culvert.engine.server.route.FlowCounters;
import io.culvert.engine.server.route.FlowSample;
import io.culvert.engine.server.route.Forwarding;
import io.culvert.engine.server.route.InstanceId;
import io.culvert.engine.server.route.IpPrefix;
import io.culvert.engine.server.route.MacAddress;
import io.culvert.engine.server.route.MacTable;
import io.culvert.engine.server.route.Route;
import io.culvert.engine.server.route.VirtualRouter;
import io.culvert.engine.transport.SendRefusedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's instance table and data plane: demultiplexes link packets to client instances (by peer-id,
 * then real address, else through the stateless cookie handshake), routes decrypted packets with
 * {@link Forwarding}, counts flows, and removes instances that end. Not thread-safe: the server thread owns it;
 * {@link #instances()} and {@link #flows()} are snapshots safe to read from any thread.
 */
public final class ServerCore implements ServerSession.Io {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    /** Writes a packet or frame to the server's device. */
    @FunctionalInterface
    public interface Device {
        void write(byte[] buf, int off, int len);
    }

    private final ServerSettings settings;
    private final Admission admission;
    private final Device device;
    private final EngineListener listener;
    private final InstantSource clock;
    private final SecureRandom random;
    /** Runs a task on the thread that owns this core (verdicts of password checks come back through it). */
    private final java.util.concurrent.Executor serverThread;
    private ConnectScripts scripts;
    private final boolean duplicateCn;
    private final CookieJar cookies;
    private final ControlWrap statelessWrap;
    private final RateLimiter cookieLimiter;
    /** At most one "write failed" line per 5 s for all clients; every failure is counted as {@link DropReason#SEND_FAILED}. */
    private final LogThrottle sendFailures = new LogThrottle(5000);
    /** Last {@link io.culvert.engine.tls.Revocation#refresh()} stamp; a new one means crl-verify changed. */
    private long revocationStamp;
    private final VirtualRouter router = new VirtualRouter();
    private final MacTable macs = new MacTable();
    private final Forwarding forwarding;
    private final FlowCounters flows = new FlowCounters();
    private final Instance[] byPeerId;
    private final Map<InetSocketAddress, Instance> byAddress = new HashMap<>();
    private final Map<ServerSession, Instance> bySession = new HashMap<>();
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private volatile List<InstanceInfo> snapshot = List.of();
    private volatile long created;

    /** One connected client. */
    private static final class Instance {
        final InstanceId id;
        final ServerSession session;
        LinkEndpoint endpoint;
        Admission.Admitted admitted;
        /** Held while client-connect runs, so the script is told the address the client gets. */
        Admission.Admitted provisional;
        /** What client-connect wrote, or null. */
        io.culvert.engine.config.CcdEntry dynamic;

        Instance(InstanceId id, ServerSession session, LinkEndpoint endpoint) {
            this.id = id;
            this.session = session;
            this.endpoint = endpoint;
        }
    }

    public ServerCore(ServerSettings settings, Admission admission, Device device, boolean clientToClient,
            java.net.Inet4Address subnetBroadcast, int maxClients, boolean duplicateCn, EngineListener listener,
            InstantSource clock, SecureRandom random, java.util.concurrent.Executor serverThread) {
        this.settings = settings;
        this.serverThread = serverThread;
        this.admission = admission;
        this.device = device;
        this.listener = listener;
        this.clock = clock;
        this.random = random;
        this.duplicateCn = duplicateCn;
        this.byPeerId = new Instance[maxClients];
        this.cookies = new CookieJar(clock, settings.handWindow(), random);
        // Stateless replies carry a timestamp from before any session's, so a client never sees a session's
        // first replay id as a replay of the cookie reply (2.6 does the same with its standalone wrap).
        long epoch = clock.millis() - 1000;
        InstantSource statelessClock = InstantSource.fixed(Instant.ofEpochMilli(epoch));
        this.statelessWrap = settings.wrap() instanceof ControlWrapSpec.TlsCryptV2Server v2 ? v2.newStateless(statelessClock)
                : settings.wrap().newSession(true, statelessClock);
        this.cookieLimiter = new RateLimiter(1000, clock);
        this.forwarding = settings.tap() ? Forwarding.tap(clientToClient, macs) : Forwarding.tun(clientToClient, router, subnetBroadcast);
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
        this.revocationStamp = settings.tls().revocation().refresh();
    }

    // ---- link input -------------------------------------------------------------------------------------

    /** One datagram on the server's UDP socket. */
    public void onUdp(java.nio.channels.DatagramChannel socket, InetSocketAddress from, byte[] buf, int len) {
        if (len < 1) {
            count(DropReason.TRUNCATED);
            return;
        }
        int opcode = (buf[0] & 0xff) >>> 3;
        if (opcode == Opcode.DATA_V2.code() && len >= 4) {
            int peerId = ((buf[1] & 0xff) << 16) | ((buf[2] & 0xff) << 8) | (buf[3] & 0xff);
            if (peerId < byPeerId.length && byPeerId[peerId] != null) {
                Instance inst = byPeerId[peerId];
                boolean authenticated = inst.session.onLink(buf, 0, len);
                if (authenticated && !inst.endpoint.address().equals(from)) {
                    floatTo(inst, socket, from);
                }
                return;
            }
        }
        Instance inst = byAddress.get(from);
        if (inst != null) {
            inst.session.onLink(buf, 0, len);
            return;
        }
        stateless(socket, from, buf, len);
    }

    private void floatTo(Instance inst, java.nio.channels.DatagramChannel socket, InetSocketAddress from) {
        Instance other = byAddress.get(from);
        if (other != null && other != inst) {
            return;
        }
        LOG.info("{} floated from {} to {}", label(inst), Addresses.text(inst.endpoint.address()), Addresses.text(from));
        byAddress.remove(inst.endpoint.address());
        inst.endpoint = new LinkEndpoint.Udp(socket, from);
        byAddress.put(from, inst);
    }

    private void stateless(java.nio.channels.DatagramChannel socket, InetSocketAddress from, byte[] buf, int len) {
        int opcode = (buf[0] & 0xff) >>> 3;
        boolean v2 = settings.wrap() instanceof ControlWrapSpec.TlsCryptV2Server;
        boolean v3Reset = v2 && opcode == Opcode.CONTROL_HARD_RESET_CLIENT_V3.code();
        if (opcode != Opcode.CONTROL_HARD_RESET_CLIENT_V2.code() && opcode != Opcode.CONTROL_V1.code()
                && opcode != Opcode.ACK_V1.code() && !v3Reset && !(v2 && opcode == Opcode.CONTROL_WKC_V1.code())) {
            count(DropReason.UNEXPECTED);
            return;
        }
        // tls-crypt-v2: the wrap takes the WKc off and hands back V3 as a V2 reset and WKC_V1 as a P_CONTROL_V1.
        Decoded<byte[]> plain = statelessWrap.unwrapWithoutReplayCheck(buf, 0, len);
        if (!plain.isOk()) {
            count(plain.reason());
            return;
        }
        Decoded<ControlPacket> parsed = ControlPacket.parse(plain.value(), 0, plain.value().length);
        if (!parsed.isOk()) {
            count(parsed.reason());
            return;
        }
        ControlPacket p = parsed.value();
        if (p.keyId() != 0) {
            count(DropReason.UNEXPECTED);
            return;
        }
        if (p.opcode() == Opcode.CONTROL_HARD_RESET_CLIENT_V2) {
            // A v2 client without early negotiation (before 2.6) could not resend its WKc, so we would have to keep
            // state for it; like 2.6's force-cookie, it is refused.
            if (p.messageId() != 0 || v3Reset && buf[9] != 0x0F || !cookieLimiter.tryAcquire()) {
                count(DropReason.UNEXPECTED);
                return;
            }
            long sid = cookies.sessionIdFor(from, p.sessionId());
            ControlPacket reply = new ControlPacket(Opcode.CONTROL_HARD_RESET_SERVER_V2, 0, sid, new long[] {0},
                    p.sessionId(), 0, new EarlyNegotiation(v3Reset).toBytes());
            byte[] b = reply.toBytes();
            send(new LinkEndpoint.Udp(socket, from), statelessWrap.wrap(b, 0, b.length));
            return;
        }
        if (!cookieAccepted(p, from)) {
            count(DropReason.WRONG_SESSION);
            return;
        }
        if (knownClientSession(p.sessionId())) {
            // A valid cookie for a session that already has an instance (say, one that floated away from this
            // address) is a replay of its handshake; a restarted client always brings a new session id.
            count(DropReason.REPLAY);
            return;
        }
        int peerId = freePeerId();
        if (peerId < 0) {
            count(DropReason.WINDOW_FULL);
            return;
        }
        try {
            ServerSession session = ServerSession.afterCookie(settings, this, clock, random, peerId, Addresses.text(from),
                    p.remoteSessionId(), p.sessionId());
            Instance inst = register(peerId, session, new LinkEndpoint.Udp(socket, from));
            byAddress.put(from, inst);
            session.onLink(buf, 0, len);
        } catch (EngineException e) {
            LOG.warn("cannot start a session for {}: {}", from, e.getMessage());
        }
    }

    private boolean knownClientSession(long clientSid) {
        for (ServerSession s : bySession.keySet()) {
            if (s.hasClientSessionId(clientSid)) {
                return true;
            }
        }
        return false;
    }

    /** §2.7: an ACK of the server's reset whose remote sid is our cookie; acked ids and message id at most 1. */
    private boolean cookieAccepted(ControlPacket p, InetSocketAddress from) {
        if (p.ackCount() == 0 || !cookies.valid(p.remoteSessionId(), from, p.sessionId())) {
            return false;
        }
        for (long ack : p.acks()) {
            if (ack > 1) {
                return false;
            }
        }
        return p.opcode() == Opcode.ACK_V1 || p.messageId() <= 1;
    }

    /** A new TCP connection: a stateful session that expects the client's hard reset. */
    public Object onTcpAccepted(LinkEndpoint.Tcp endpoint) {
        int peerId = freePeerId();
        if (peerId < 0) {
            endpoint.close();
            return null;
        }
        ServerSession session = new ServerSession(settings, this, clock, random, peerId, Addresses.text(endpoint.address()));
        return register(peerId, session, endpoint);
    }

    /** One packet on a TCP connection; {@code handle} is what {@link #onTcpAccepted} returned. */
    public void onTcp(Object handle, byte[] buf, int len) {
        if (handle instanceof Instance inst && byPeerId[inst.id.value()] == inst) {
            inst.session.onLink(buf, 0, len);
        }
    }

    public void onTcpClosed(Object handle) {
        if (handle instanceof Instance inst && byPeerId[inst.id.value()] == inst) {
            remove(inst, "connection closed");
        }
    }

    private Instance register(int peerId, ServerSession session, LinkEndpoint endpoint) {
        Instance inst = new Instance(new InstanceId(peerId), session, endpoint);
        created = created + 1;
        byPeerId[peerId] = inst;
        bySession.put(session, inst);
        return inst;
    }

    private int freePeerId() {
        for (int i = 0; i < byPeerId.length; i++) {
            if (byPeerId[i] == null) {
                return i;
            }
        }
        return -1;
    }

    // ---- device input -----------------------------------------------------------------------------------

    /** One packet or frame read from the server's device. */
    public void onDevice(byte[] buf, int len) {
        Route route = forwarding.fromDevice(buf, 0, len, clock.millis());
        flows.account(Endpoint.SERVER, route, len);
        execute(route, buf, len);
    }

    private void execute(Route route, byte[] buf, int len) {
        switch (route) {
            case Route.ToDevice d -> device.write(buf, 0, len);
            case Route.ToInstance(InstanceId target) -> sendTo(target, buf, len);
            case Route.Flood(List<InstanceId> receivers, boolean alsoDevice) -> {
                for (int i = 0; i < receivers.size(); i++) {
                    sendTo(receivers.get(i), buf, len);
                }
                if (alsoDevice) {
                    device.write(buf, 0, len);
                }
            }
            case Route.Drop d -> count(DropReason.UNEXPECTED);
        }
    }

    private void sendTo(InstanceId target, byte[] buf, int len) {
        Instance inst = target.value() < byPeerId.length ? byPeerId[target.value()] : null;
        if (inst != null) {
            inst.session.sendData(buf, 0, len);
        }
    }

    // ---- ServerSession.Io -------------------------------------------------------------------------------

    @Override
    public void sendLink(ServerSession session, byte[] packet) {
        Instance inst = bySession.get(session);
        if (inst != null) {
            send(inst.endpoint, packet);
        }
    }

    private void send(LinkEndpoint endpoint, byte[] packet) {
        try {
            endpoint.send(packet);
        } catch (SendRefusedException e) {
            // One datagram lost, as on a lossy link: counted, and no reason to drop the client.
            count(DropReason.SEND_FAILED);
            long held = sendFailures.admit(clock.millis());
            if (held >= 0) {
                LOG.warn("write to {} failed: {}{}", Addresses.text(endpoint.address()), e.getMessage(),
                        held > 0 ? " (" + held + " more since the last report)" : "");
            }
        } catch (IOException e) {
            // A TCP connection that cannot be written is broken, as in OpenVPN: closing it ends its reader, which
            // reports the connection closed and the instance goes.
            LOG.info("write to {} failed: {}; closing the connection", Addresses.text(endpoint.address()), e.getMessage());
            endpoint.close();
        }
    }

    @Override
    public void deliver(ServerSession session, byte[] payload) {
        Instance inst = bySession.get(session);
        if (inst == null) {
            return;
        }
        Route route = forwarding.fromInstance(inst.id, payload, 0, payload.length, clock.millis());
        flows.account(inst.id, route, payload.length);
        execute(route, payload, payload.length);
    }

    /** Sets the client-connect/client-disconnect scripts; call before the first client arrives. */
    public void scripts(ConnectScripts s) {
        scripts = s;
    }

    @Override
    public boolean wantsClientConnect(ServerSession session) {
        return scripts != null && scripts.hasConnect();
    }

    @Override
    public void clientConnect(ServerSession session) {
        Instance inst = bySession.get(session);
        if (inst == null || scripts == null) {
            session.clientConnected(false, "no client-connect configured");
            return;
        }
        try {
            inst.provisional = admission.admit(session.commonName(), inst.id.value());
        } catch (EngineException e) {
            session.clientConnected(false, e.getMessage());
            return;
        }
        String v4 = null;
        String v6 = null;
        for (InetAddress a : inst.provisional.addresses()) {
            if (a instanceof java.net.Inet4Address && v4 == null) {
                v4 = Addresses.text(a);
            } else if (a instanceof java.net.Inet6Address && v6 == null) {
                v6 = Addresses.text(a);
            }
        }
        ConnectScripts.Client client = new ConnectScripts.Client(session.commonName(), session.username(),
                session.peerCertificate(), inst.endpoint.address(), session.peerInfoText(), v4, v6, clock.instant());
        scripts.connect(client, verdict -> serverThread.execute(() -> {
            if (bySession.get(session) != inst) {
                return;
            }
            releaseProvisional(inst);
            inst.dynamic = verdict.dynamic();
            session.clientConnected(verdict.accepted(), verdict.reason());
        }));
    }

    private static ConnectScripts.Client scriptClient(Instance inst) {
        ServerSession s = inst.session;
        return new ConnectScripts.Client(s.commonName(), s.username(), s.peerCertificate(), inst.endpoint.address(),
                s.peerInfoText(), null, null, java.time.Instant.ofEpochMilli(s.connectedSince()));
    }

    private static void releaseProvisional(Instance inst) {
        if (inst.provisional != null) {
            inst.provisional.release();
            inst.provisional = null;
        }
    }

    @Override
    public void checkPassword(ServerSession session, PasswordCheck.Request request) {
        Instance inst = bySession.get(session);
        PasswordCheck check = settings.clientAuth().passwords();
        if (inst == null || check == null) {
            session.passwordChecked(PasswordCheck.Verdict.reject("no password check configured"));
            return;
        }
        InetSocketAddress from = inst.endpoint.address();
        check.check(request.from(from), verdict -> serverThread.execute(() -> {
            if (bySession.get(session) == inst) {
                LOG.info("{} username '{}': {}", label(inst), request.username(), verdict.accepted() ? "accepted" : verdict.reason());
                session.passwordChecked(verdict);
            }
        }));
    }

    @Override
    public List<String> admit(ServerSession session) throws EngineException {
        Instance inst = bySession.get(session);
        if (inst == null) {
            throw new EngineException(io.culvert.engine.api.ErrorKind.INTERNAL, "unknown session");
        }
        if (!duplicateCn) {
            for (Instance other : new ArrayList<>(bySession.values())) {
                if (other != inst && other.admitted != null && session.commonName().equals(other.session.commonName())) {
                    LOG.info("{} replaces an older instance with the same common name", label(inst));
                    other.session.drop("replaced by a new login with the same common name");
                    release(other);
                }
            }
        }
        Admission.Admitted admitted = admission.admit(session.commonName(), inst.id.value(), inst.dynamic);
        inst.admitted = admitted;
        for (InetAddress a : admitted.addresses()) {
            router.learnAddress(inst.id, a);
        }
        for (String iroute : admitted.iroutes()) {
            router.learnRoute(inst.id, IpPrefix.parse(iroute));
        }
        if (scripts != null && scripts.hasLearn()) {
            ConnectScripts.Client who = scriptClient(inst);
            admitted.addresses().forEach(a -> scripts.learnAddress("add", Addresses.text(a), who));
            admitted.iroutes().forEach(r -> scripts.learnAddress("add", r, who));
        }
        forwarding.attach(inst.id);
        flows.register(inst.id);
        refreshSnapshot();
        listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.CONNECTED, info(inst), ""));
        return admitted.pushes();
    }

    @Override
    public void log(ServerSession session, String message) {
        LOG.info("{} {}", label(bySession.get(session)), message);
    }

    @Override
    public void renegotiated(ServerSession session) {
        Instance inst = bySession.get(session);
        if (inst != null && inst.admitted != null) {
            listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.RENEGOTIATED, info(inst), ""));
        }
    }

    @Override
    public boolean ipv6Link(ServerSession session) {
        Instance inst = bySession.get(session);
        return inst != null && inst.endpoint.address().getAddress() instanceof java.net.Inet6Address;
    }

    @Override
    public void dropped(ServerSession session, DropReason reason) {
        count(reason);
    }

    // ---- timers, commands, queries ----------------------------------------------------------------------

    public void tick() {
        for (Instance inst : byPeerId) {
            if (inst == null) {
                continue;
            }
            inst.session.tick();
            if (inst.session.finished()) {
                remove(inst, inst.session.closeReason());
            }
        }
        macs.expire(clock.millis());
        long stamp = settings.tls().revocation().refresh();
        if (stamp != revocationStamp) {
            revocationStamp = stamp;
            haltRevoked();
        }
        refreshSnapshot();
    }

    /** crl-verify changed: clients whose certificate is now revoked are told to HALT and removed at once. */
    private void haltRevoked() {
        for (Instance inst : byPeerId) {
            X509Certificate cert = inst == null ? null : inst.session.peerCertificate();
            if (cert == null || inst.session.finished()) {
                continue;
            }
            try {
                settings.tls().revocation().check(cert);
            } catch (CertificateException e) {
                LOG.info("{}: {}; disconnecting", label(inst), e.getMessage());
                InstanceInfo last = info(inst);
                // Off the list before the client hears HALT, so nobody sees a halted client still listed.
                release(inst);
                refreshSnapshot();
                inst.session.kick(true, "certificate revoked");
                listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.KICKED, last,
                        "certificate revoked"));
            }
        }
    }

    /** Tells the client to reconnect and removes it; false if no such instance. */
    public boolean kick(int peerId) {
        return kick(peerId, found -> { });
    }

    /**
     * Kicks client {@code peerId}; {@code answer} hears whether it was there once it is off the instance list and
     * before any listener does, so a caller waiting for the answer never waits on a listener it is blocking.
     */
    public boolean kick(int peerId, java.util.function.Consumer<Boolean> answer) {
        Instance inst = peerId >= 0 && peerId < byPeerId.length ? byPeerId[peerId] : null;
        if (inst == null || inst.admitted == null) {
            answer.accept(false);
            return false;
        }
        InstanceInfo last = info(inst);
        release(inst);
        refreshSnapshot();
        inst.session.kick(false, "kicked by the server administrator");
        answer.accept(true);
        listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.KICKED, last, "kicked"));
        return true;
    }

    /** Tells every client the server is going away (explicit-exit-notify) so they reconnect elsewhere. */
    public void shutdown() {
        for (Instance inst : byPeerId) {
            if (inst != null) {
                if (settings.explicitExitNotify()) {
                    inst.session.kick(false, "server shutting down");
                }
                remove(inst, "server shutting down");
            }
        }
    }

    private void release(Instance inst) {
        releaseProvisional(inst);
        if (inst.admitted != null) {
            if (scripts != null) {
                ConnectScripts.Client who = scriptClient(inst);
                inst.admitted.addresses().forEach(a -> scripts.learnAddress("delete", Addresses.text(a), who));
                inst.admitted.iroutes().forEach(r -> scripts.learnAddress("delete", r, who));
                scripts.disconnect(who, inst.session.bytesIn(), inst.session.bytesOut(), clock.instant());
            }
            forwarding.detach(inst.id);
            flows.forget(inst.id);
            inst.admitted.release();
            inst.admitted = null;
        }
    }

    private void remove(Instance inst, String reason) {
        InstanceInfo last = info(inst);
        release(inst);
        byPeerId[inst.id.value()] = null;
        bySession.remove(inst.session);
        byAddress.remove(inst.endpoint.address(), inst);
        inst.endpoint.close();
        LOG.info("{} disconnected: {}", label(inst), reason);
        listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.DISCONNECTED, last,
                reason == null ? "" : reason));
    }

    public int instanceCount() {
        return bySession.size();
    }

    /** Instances allocated since start (cookie-verified UDP clients, accepted TCP connections); any thread may read it. */
    public long instancesCreated() {
        return created;
    }

    public List<InstanceInfo> instances() {
        return snapshot;
    }

    public List<FlowEdge> flows() {
        List<FlowEdge> out = new ArrayList<>();
        for (FlowSample s : flows.snapshot().flows()) {
            out.add(new FlowEdge(endpointId(s.source()), endpointId(s.destination()),
                    FlowEdge.Kind.valueOf(s.kind().name()), s.packets(), s.bytes()));
        }
        return out;
    }

    public Map<String, Long> drops() {
        Map<String, Long> out = new HashMap<>();
        drops.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k.name(), v.sum());
            }
        });
        return out;
    }

    private static int endpointId(Endpoint e) {
        return e instanceof InstanceId id ? id.value() : FlowEdge.SERVER;
    }

    private void refreshSnapshot() {
        List<InstanceInfo> list = new ArrayList<>();
        for (Instance inst : byPeerId) {
            if (inst != null && inst.admitted != null) {
                list.add(info(inst));
            }
        }
        snapshot = List.copyOf(list);
    }

    private InstanceInfo info(Instance inst) {
        ServerSession s = inst.session;
        List<String> virtual = new ArrayList<>();
        if (inst.admitted != null) {
            inst.admitted.addresses().forEach(a -> virtual.add(Addresses.text(a)));
            virtual.addAll(inst.admitted.iroutes());
        }
        List<String> macList = macs.macsOf(inst.id).stream().map(MacAddress::toString).toList();
        return new InstanceInfo(inst.id.value(), s.commonName(), Addresses.text(inst.endpoint.address()), virtual, macList, s.cipherName(), Instant.ofEpochMilli(s.connectedSince()),
                s.bytesIn(), s.bytesOut(), s.packetsIn(), s.packetsOut());
    }

    private String label(Instance inst) {
        if (inst == null) {
            return "?";
        }
        String cn = inst.session.commonName();
        return (cn == null ? "" : cn + "/") + Addresses.text(inst.endpoint.address());
    }

    private void count(DropReason reason) {
        drops.get(reason).increment();
    }
}
