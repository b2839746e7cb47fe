package io.culvert.engine.server;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.server.route.MacAddress;
import io.culvert.engine.warmup.Warmup;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's life after it is in the {@link InstanceTable}: client-connect and password checks, admission
 * (addresses, iroutes, learn-address, a duplicate common name replaced), renegotiation, kick, revocation, removal with
 * client-disconnect, and the instance list the API shows. Not thread-safe: owned by the server thread, except
 * {@link #instances()}, a snapshot any thread may read.
 */
final class InstanceLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLifecycle.class);
    private final java.util.concurrent.atomic.LongAdder cnMismatches = new java.util.concurrent.atomic.LongAdder();

    private final ServerSettings settings;
    private final Admission admission;
    private final InstanceTable table;
    private final PacketSwitch packets;
    private final LinkOutput link;
    private final EngineListener listener;
    private final InstantSource clock;
    /** Runs a task on the thread that owns the core (verdicts of scripts and password checks come back through it). */
    private final Executor serverThread;
    private final boolean duplicateCn;
    private ConnectScripts scripts;
    /** Last {@link io.culvert.engine.tls.Revocation#refresh()} stamp; a new one means crl-verify changed. */
    private long revocationStamp;
    private volatile List<InstanceInfo> snapshot = List.of();

    InstanceLifecycle(ServerSettings settings, Admission admission, InstanceTable table, PacketSwitch packets,
            LinkOutput link, boolean duplicateCn, EngineListener listener, InstantSource clock, Executor serverThread) {
        this.settings = settings;
        this.admission = admission;
        this.table = table;
        this.packets = packets;
        this.link = link;
        this.duplicateCn = duplicateCn;
        this.listener = listener;
        this.clock = clock;
        this.serverThread = serverThread;
        this.revocationStamp = settings.tls().revocation().refresh();
    }

    void scripts(ConnectScripts s) {
        scripts = s;
    }

    boolean wantsClientConnect() {
        return scripts != null && scripts.hasConnect();
    }

    void clientConnect(ServerSession session) {
        Instance inst = table.bySession(session);
        if (inst == null || scripts == null) {
            session.clientConnected(false, "no client-connect configured");
            return;
        }
        try {
            checkProxyName(inst, session);
            inst.provisional = admission.admit(session.commonName(), inst.id.value());
        } catch (EngineException e) {
            session.clientConnected(false, e.getMessage());
            return;
        }
        String v4 = null;
        String v6 = null;
        for (InetAddress a : inst.provisional.addresses()) {
            if (a instanceof Inet4Address && v4 == null) {
                v4 = Addresses.text(a);
            } else if (a instanceof Inet6Address && v6 == null) {
                v6 = Addresses.text(a);
            }
        }
        ConnectScripts.Client client = new ConnectScripts.Client(session.commonName(), session.username(),
                session.peerCertificate(), inst.endpoint.address(), session.peerInfoText(), v4, v6, clock.instant());
        scripts.connect(client, verdict -> serverThread.execute(() -> {
            if (table.bySession(session) != inst) {
                return;
            }
            releaseProvisional(inst);
            inst.dynamic = verdict.dynamic();
            session.clientConnected(verdict.accepted(), verdict.reason());
        }));
    }

    void checkPassword(ServerSession session, PasswordCheck.Request request) {
        Instance inst = table.bySession(session);
        PasswordCheck check = settings.clientAuth().passwords();
        if (inst == null || check == null) {
            session.passwordChecked(PasswordCheck.Verdict.reject("no password check configured"));
            return;
        }
        InetSocketAddress from = inst.endpoint.address();
        check.check(request.from(from), verdict -> serverThread.execute(() -> {
            if (table.bySession(session) == inst) {
                LOG.info("{} username '{}': {}", inst.label(), request.username(),
                        verdict.accepted() ? "accepted" : verdict.reason());
                session.passwordChecked(verdict);
            }
        }));
    }

    /**
     * ADR 0050: over a WebSocket whose trusted proxy verified a client certificate, the session's certificate must
     * carry the same common name; else the session is refused (counted as {@code CN_MISMATCH}).
     */
    private void checkProxyName(Instance inst, ServerSession session) throws EngineException {
        if (!(inst.endpoint instanceof LinkEndpoint.Tcp t) || t.proxyCommonName() == null) {
            return;
        }
        // the certificate's own name, also under username-as-common-name (the session's name is then the username)
        X509Certificate cert = session.peerCertificate();
        String name = cert != null ? io.culvert.engine.tls.PeerVerification.commonName(cert) : session.commonName();
        if (!t.proxyCommonName().equals(name)) {
            cnMismatches.increment();
            LOG.warn("{}: certificate common name '{}' is not '{}', the name the proxy verified; refused", inst.label(),
                    name, t.proxyCommonName());
            throw new EngineException(ErrorKind.AUTH_FAILED, "certificate common name does not match the proxy's");
        }
    }

    /** Sessions refused because their certificate's name differed from the proxy-verified one; any thread. */
    long cnMismatches() {
        return cnMismatches.sum();
    }

    /** Admits an authenticated client and returns what to push; an older instance with its common name goes first. */
    List<String> admit(ServerSession session) throws EngineException {
        Instance inst = table.bySession(session);
        if (inst == null) {
            throw new EngineException(ErrorKind.INTERNAL, "unknown session");
        }
        checkProxyName(inst, session);
        if (!duplicateCn) {
            for (Instance other : table.othersWithCommonName(inst)) {
                LOG.info("{} replaces an older instance with the same common name", inst.label());
                other.session.drop("replaced by a new login with the same common name");
                release(other);
            }
        }
        Admission.Admitted admitted = admission.admit(session.commonName(), inst.id.value(), inst.dynamic);
        inst.admitted = admitted;
        inst.addresses = admitted.addresses();
        packets.attach(inst.id, session.commonName(), admitted.addresses(), admitted.iroutes());
        if (scripts != null && scripts.hasLearn()) {
            ConnectScripts.Client who = scriptClient(inst);
            admitted.addresses().forEach(a -> scripts.learnAddress("add", Addresses.text(a), who));
            admitted.iroutes().forEach(r -> scripts.learnAddress("add", r, who));
        }
        refreshSnapshot();
        Warmup.stop(); // the first tunnel's packets follow at once: they must not share the CPU with it
        listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.CONNECTED, info(inst), ""));
        return admitted.pushes();
    }

    void renegotiated(ServerSession session) {
        Instance inst = table.bySession(session);
        if (inst != null && inst.admitted != null) {
            listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.RENEGOTIATED, info(inst), ""));
        }
    }

    /** Runs every session's timers, removes the finished ones, expires MACs and acts on a changed CRL. */
    void tick() {
        for (Instance inst : table.all()) {
            inst.session.tick();
            if (inst.session.finished()) {
                remove(inst, inst.session.closeReason());
            }
        }
        packets.expire();
        long stamp = settings.tls().revocation().refresh();
        if (stamp != revocationStamp) {
            revocationStamp = stamp;
            haltRevoked();
        }
        refreshSnapshot();
    }

    /** crl-verify changed: clients whose certificate is now revoked are told to HALT and removed at once. */
    private void haltRevoked() {
        for (Instance inst : table.all()) {
            X509Certificate cert = inst.session.peerCertificate();
            if (cert == null || inst.session.finished()) {
                continue;
            }
            try {
                settings.tls().revocation().checkConnected(cert);
            } catch (CertificateException e) {
                LOG.info("{}: {}; disconnecting", inst.label(), e.getMessage());
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

    /** Kicks admitted client {@code peerId}; {@code answer} hears whether it was there before any listener does. */
    boolean kick(int peerId, Consumer<Boolean> answer) {
        Instance inst = table.byPeerId(peerId);
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

    /**
     * A PUSH_UPDATE moved {@code inst} ({@link PushUpdates} has updated the routing table): learn-address hears
     * {@code delete} for the addresses it left and {@code add} for the new ones, and the instance list shows them.
     */
    void moved(Instance inst, List<InetAddress> leaving, List<InetAddress> arriving) {
        if (scripts != null && scripts.hasLearn()) {
            ConnectScripts.Client who = scriptClient(inst);
            leaving.forEach(a -> scripts.learnAddress("delete", Addresses.text(a), who));
            arriving.forEach(a -> scripts.learnAddress("add", Addresses.text(a), who));
        }
        refreshSnapshot();
    }

    /**
     * Removes every client, telling each that the server is going away when {@code explicit-exit-notify} asks for it:
     * RESTART (reconnect), or RESTART,[N] with 2 or more (reconnect to the next remote), as OpenVPN's server does.
     */
    void shutdown() {
        for (Instance inst : table.all()) {
            if (settings.explicitExitNotify() > 0) {
                inst.session.notifyExit(settings.explicitExitNotify() >= 2);
            }
            remove(inst, "server shutting down");
        }
    }

    /** Removes an instance whose TCP connection closed or whose session finished. */
    void remove(Instance inst, String reason) {
        InstanceInfo last = info(inst);
        release(inst);
        table.remove(inst);
        link.close(inst.endpoint);
        LOG.info("{} disconnected: {}", inst.label(), reason);
        listener.onEvent(new EngineEvent.Instance(clock.instant(), EngineEvent.InstanceChange.DISCONNECTED, last,
                reason == null ? "" : reason));
    }

    private void release(Instance inst) {
        releaseProvisional(inst);
        if (inst.admitted != null) {
            if (scripts != null) {
                ConnectScripts.Client who = scriptClient(inst);
                inst.addresses.forEach(a -> scripts.learnAddress("delete", Addresses.text(a), who));
                inst.admitted.iroutes().forEach(r -> scripts.learnAddress("delete", r, who));
                scripts.disconnect(who, inst.session.bytesIn(), inst.session.bytesOut(), clock.instant());
            }
            packets.detach(inst.id);
            inst.admitted.release();
            inst.admitted = null;
            inst.addresses = List.of();
            inst.holds.forEach(Runnable::run);
            inst.holds.clear();
        }
    }

    private static void releaseProvisional(Instance inst) {
        if (inst.provisional != null) {
            inst.provisional.release();
            inst.provisional = null;
        }
    }

    private static ConnectScripts.Client scriptClient(Instance inst) {
        ServerSession s = inst.session;
        return new ConnectScripts.Client(s.commonName(), s.username(), s.peerCertificate(), inst.endpoint.address(),
                s.peerInfoText(), null, null, Instant.ofEpochMilli(s.connectedSince()));
    }

    List<InstanceInfo> instances() {
        return snapshot;
    }

    private void refreshSnapshot() {
        List<InstanceInfo> list = new ArrayList<>();
        for (Instance inst : table.all()) {
            if (inst.admitted != null) {
                list.add(info(inst));
            }
        }
        snapshot = List.copyOf(list);
    }

    private InstanceInfo info(Instance inst) {
        ServerSession s = inst.session;
        List<String> virtual = new ArrayList<>();
        if (inst.admitted != null) {
            inst.addresses.forEach(a -> virtual.add(Addresses.text(a)));
            virtual.addAll(inst.admitted.iroutes());
        }
        List<String> macList = packets.macsOf(inst.id).stream().map(MacAddress::toString).toList();
        return InstanceInfo.builder(inst.id.value(), s.commonName())
                .realAddress(Addresses.text(inst.endpoint.address())).virtualAddresses(virtual).macs(macList)
                .cipher(s.cipherName()).connectedSince(Instant.ofEpochMilli(s.connectedSince()))
                .bytes(s.bytesIn(), s.bytesOut()).packets(s.packetsIn(), s.packetsOut()).build();
    }
}
